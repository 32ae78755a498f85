"""The criteria tree laid out for the scoring and consensus pages: categories, items, guidance,
the applicant's narrative per category and one ItemScoreForm per item."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.http import QueryDict

from awards.models import Application
from awards.refusals import ServiceError, show_on_form
from jurisdictions.criteria_schema import CriteriaDoc, CriterionCategory, CriterionItem

from . import scoring
from .forms_reviewer import ItemScoreForm, initial_for, item_prefix, stored_values


@dataclass
class ItemRow:
    item: CriterionItem
    guidance: str
    prefix: str
    form: ItemScoreForm
    record: object | None  # ItemScore or ConsensusItem
    weighted: Decimal | None
    extra: dict = field(default_factory=dict)

    @property
    def percentage(self) -> int | None:
        return getattr(self.record, "percentage", None)


@dataclass
class CategoryBlock:
    category: CriterionCategory
    narrative: str
    items: list[ItemRow]


def guidance_for(criteria: CriteriaDoc, item: CriterionItem) -> str:
    return criteria.process_guidance_zh if item.kind == "process" else criteria.result_guidance_zh


def item_forms(criteria: CriteriaDoc, records: dict, data: QueryDict | None = None) -> dict[str, ItemScoreForm]:
    return {
        item.code: ItemScoreForm(data, criteria=criteria, code=item.code, initial=initial_for(records.get(item.code)))
        for item in criteria.items()
    }


def blocks(app: Application, criteria: CriteriaDoc, records: dict, forms: dict[str, ItemScoreForm]) -> list[CategoryBlock]:
    out = []
    for category in criteria.categories:
        rows = []
        for item in category.items:
            record = records.get(item.code)
            pct = getattr(record, "percentage", None)
            rows.append(ItemRow(
                item=item, guidance=guidance_for(criteria, item), prefix=item_prefix(item.code),
                form=forms[item.code], record=record,
                weighted=scoring.weighted(item.points, pct) if pct is not None else None,
            ))
        out.append(CategoryBlock(category=category, narrative=(app.narratives or {}).get(category.code, ""), items=rows))
    return out


def totals(criteria: CriteriaDoc, records: dict) -> dict:
    """The running total out of the criteria's points and how many items carry a percentage."""
    percentages = {code: r.percentage for code, r in records.items()}
    return {
        "total": scoring.total_of(percentages, scoring.item_points(criteria)),
        "out_of": criteria.total_points,
        "scored": sum(1 for p in percentages.values() if p is not None),
        "item_count": len(criteria.items()),
    }


def changed(form: ItemScoreForm, record) -> bool:
    """Whether a valid form differs from what is stored (so an unchanged item writes no history row)."""
    return form.values() != stored_values(record)


def save_changed(forms: dict[str, ItemScoreForm], records: dict, save: Callable[..., object]) -> bool:
    """Save every valid, changed item through `save(code, **values)`; False if any item failed.
    Valid items are saved even when others fail, so nothing typed is lost."""
    failed = False
    for code, form in forms.items():
        if not form.is_valid():
            failed = True
            continue
        if not changed(form, records.get(code)):
            continue
        try:
            save(code, **form.values())
        except ServiceError as exc:
            show_on_form(form, exc)
            failed = True
    return not failed
