"""What changed between two versions of a jurisdiction's rule profile, rule by rule, with citations.

The walk reads the typed profile (RuleProfileDoc) generically: it follows the models' own fields,
matches list items by their `code`, and treats a cited value (`Cited`) as one rule carrying its
article. A field added to the schema later is compared without any change here; only its label
(profile_diff_labels.py) is needed. Labels and values are rendered in the active language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Literal

from django.utils import translation
from django.utils.translation import gettext as _
from pydantic import BaseModel

from . import rules_wording as wording
from .profile_diff_labels import AWARD_CODE_FIELDS, FIELDS, SECTIONS, UNLABELLED, VALUES
from .profile_schema import OFFICE_SETTING, Cited, Period, RuleProfileDoc, Threshold, Weights

ChangeKind = Literal["added", "removed", "changed"]

# Values read as one phrase ("15个工作日", "2/3以上"), not field by field.
_WHOLE = (Period, Threshold, Weights)
# An item's own name, shown in the label of a change rather than in its value.
_NAME_FIELDS = frozenset({"name_zh", "name_en", "text_zh", "text_en", "level_zh", "level_en"})


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    section: str  # the top-level key, for grouping
    label: list[str]  # the human path: section, item names, field labels
    old: str = ""
    new: str = ""
    old_cite: str = ""
    new_cite: str = ""
    english_only: bool = False  # a change to an English text only

    @property
    def path_text(self) -> str:
        return " › ".join(self.label)


def _t(label: Any) -> str:
    return _(label) if isinstance(label, str) else str(label)


class _Walker:
    def __init__(self, old: RuleProfileDoc, new: RuleProfileDoc):
        self.en = wording.english()
        self.award_names = {a.code: self._name(a) for a in (*old.awards, *new.awards)}
        self.changes: list[Change] = []
        self.section = ""
        # "Office setting" reads as the rules page shows it, in the new version's words.
        self.badge = wording.Sentences(new).badge

    # --- names and values as a reader sees them ---
    def _name(self, item: BaseModel) -> str:
        """An item of a list by its own words: an award's name, a condition's text, a stage's name
        (the Chinese words where an English page finds no English ones)."""
        english = ("name_en", "text_en", "level_en") if self.en else ()
        for field in (*english, "name_zh", "text_zh", "level_zh"):
            value = getattr(item, field, None)
            value = value.value if isinstance(value, Cited) else value
            if isinstance(value, str) and value:
                return wording.clause(value)
        return _("（未命名）")

    def render(self, value: Any, field: str) -> str:
        if value is None or value == "":
            return "—"
        if isinstance(value, Cited):
            return self.render(value.value, field)
        if isinstance(value, bool):
            return _("是") if value else _("否")
        if isinstance(value, Period):
            return wording.period(value)
        if isinstance(value, Threshold):
            return wording.threshold(value)
        if isinstance(value, Weights):
            return _("资料评审 %(d)s，现场评审 %(s)s") % {
                "d": wording.percent(value.document), "s": wording.percent(value.site)}
        if isinstance(value, dt.date):
            return wording.date(value)
        if isinstance(value, (int, float)):
            return wording.money(int(value)) if field.endswith("_cny") else wording.number(value)
        if isinstance(value, str):
            if field in AWARD_CODE_FIELDS:
                return self.award_names.get(value, value)
            names = VALUES.get(field)
            return _t(names[value]) if names and value in names else value
        if isinstance(value, dict):
            # A code → own-words map (a regulation's names for the recommenders).
            names = VALUES.get(field, {})
            sep = ": " if self.en else "："
            return wording.join(f"{_t(names[k]) if k in names else k}{sep}{self.render(v, field)}"
                                for k, v in value.items()) if value else _("（无）")
        if isinstance(value, (list, tuple)):
            return wording.join(self.render(v, field) for v in value) if value else _("（无）")
        if isinstance(value, BaseModel):
            return self._summary(value)
        return str(value)

    def _summary(self, model: BaseModel, named: bool = False) -> str:
        """A value made of fields, in words. `named`: the item's name is in the label already."""
        if isinstance(getattr(model, "code", None), str) and not named:
            return self._name(model)
        parts = []
        for field in type(model).model_fields:
            value = getattr(model, field)
            if field in UNLABELLED or value in (None, "") or (self.en is False and field.endswith("_en")):
                continue
            if named and field in _NAME_FIELDS:
                continue
            text = self.render(value, field)
            inner = value.value if isinstance(value, Cited) else value
            if isinstance(inner, BaseModel) and not isinstance(inner, _WHOLE):
                text = f"({text})" if self.en else f"（{text}）"
            parts.append(f"{self.field_label(field)}: {text}" if self.en else f"{self.field_label(field)}：{text}")
        return ("; " if self.en else "；").join(parts)

    def field_label(self, field: str) -> str:
        return _t(FIELDS.get(field, field))

    def cite_of(self, node: Any, inherited: str) -> str:
        """A rule's article: its own, else the first one inside it, else the one around it."""
        if isinstance(node, Cited):
            return self.cite_text(node.cite)
        if isinstance(node, BaseModel):
            for field in type(node).model_fields:
                found = self.cite_of(getattr(node, field), "")
                if found:
                    return found
        if isinstance(node, (list, tuple)):
            for item in node:
                found = self.cite_of(item, "")
                if found:
                    return found
        return inherited

    def cite_text(self, cite: str) -> str:
        return self.badge if cite == OFFICE_SETTING else cite

    def _item(self, value: Any, field: str) -> str:
        """A value; an added or removed item (named by the label) by what it says besides its name."""
        if isinstance(value, BaseModel) and isinstance(getattr(value, "code", None), str):
            return self._summary(value, named=True)
        return self.render(value, field)

    # --- the walk ---
    def add(self, kind: ChangeKind, label: list[str], field: str, old: Any = None, new: Any = None,
            old_cite: str = "", new_cite: str = "", english: bool = False) -> None:
        self.changes.append(Change(
            kind=kind, section=self.section, label=label,
            old=self._item(old, field) if kind != "added" else "",
            new=self._item(new, field) if kind != "removed" else "",
            old_cite=old_cite, new_cite=new_cite, english_only=english,
        ))

    def walk(self, old: Any, new: Any, label: list[str], field: str, cites: tuple[str, str],
             english: bool = False) -> None:
        if old == new:
            return
        old_cite, new_cite = self.cite_of(old, cites[0]), self.cite_of(new, cites[1])
        if old is None or new is None:
            kind: ChangeKind = "added" if old is None else "removed"
            self.add(kind, label, field, old, new, old_cite if old is not None else "",
                     new_cite if new is not None else "", english)
            return
        if isinstance(old, Cited) and isinstance(new, Cited):
            self._cited(old, new, label, field, english)
        elif isinstance(old, BaseModel) and type(old) is type(new) and not isinstance(old, _WHOLE):
            self._model(old, new, label, (old_cite, new_cite), english)
        elif isinstance(old, list) and isinstance(new, list) and self._coded(old, new):
            self._coded_lists(old, new, label, field, (old_cite, new_cite), english)
        else:
            self.add("changed", label, field, old, new, old_cite, new_cite, english)

    def _cited(self, old: Cited, new: Cited, label: list[str], field: str, english: bool) -> None:
        old_cite, new_cite = self.cite_text(old.cite), self.cite_text(new.cite)
        nested = (isinstance(old.value, BaseModel) and type(old.value) is type(new.value)
                  and not isinstance(old.value, _WHOLE))
        if old.value != new.value and nested:
            self._model(old.value, new.value, label, (old_cite, new_cite), english)
        elif old.value != new.value and isinstance(old.value, list) and isinstance(new.value, list) \
                and self._coded(old.value, new.value):
            self._coded_lists(old.value, new.value, label, field, (old_cite, new_cite), english)
        elif old.value != new.value or old.cite != new.cite:
            self.add("changed", label, field, old.value, new.value, old_cite, new_cite, english)
        for note in ("note_zh", "note_en"):
            if getattr(old, note) != getattr(new, note):
                self.changes.append(Change(
                    kind="changed", section=self.section, label=[*label, self.field_label(note)],
                    old=getattr(old, note) or "—", new=getattr(new, note) or "—",
                    old_cite=old_cite, new_cite=new_cite, english_only=english or note == "note_en",
                ))

    def _model(self, old: BaseModel, new: BaseModel, label: list[str], cites: tuple[str, str],
               english: bool) -> None:
        for field in type(old).model_fields:
            if field in UNLABELLED:
                continue
            self.walk(getattr(old, field), getattr(new, field), [*label, self.field_label(field)], field,
                      cites, english or field.endswith("_en"))

    @staticmethod
    def _coded(old: list, new: list) -> bool:
        """Lists of items with a code (awards, conditions, bans, stages), matched by code, not position."""
        items = [*old, *new]
        return bool(items) and all(isinstance(i, BaseModel) and isinstance(getattr(i, "code", None), str)
                                   for i in items)

    def _coded_lists(self, old: list, new: list, label: list[str], field: str, cites: tuple[str, str],
                     english: bool) -> None:
        before = {i.code: i for i in old}
        after = {i.code: i for i in new}
        for code, item in after.items():
            item_label = [*label, self._name(item)]
            if code in before:
                self.walk(before[code], item, item_label, field, cites, english)
            else:
                self.add("added", item_label, field, new=item, new_cite=self.cite_of(item, cites[1]),
                         english=english)
        for code, item in before.items():
            if code not in after:
                self.add("removed", [*label, self._name(item)], field, old=item,
                         old_cite=self.cite_of(item, cites[0]), english=english)


def diff_profiles(old: RuleProfileDoc, new: RuleProfileDoc, lang: str = "zh-hans") -> list[Change]:
    """Every difference from `old` to `new`, in the order of the profile's sections."""
    with translation.override(lang):
        walker = _Walker(old, new)
        fields = list(type(old).model_fields)
        ordered = [f for f in SECTIONS if f in fields] + [f for f in fields if f not in SECTIONS]
        for field in ordered:
            if field in UNLABELLED:
                continue
            section = _t(SECTIONS[field]) if field in SECTIONS else walker.field_label(field)
            walker.section = field
            walker.walk(getattr(old, field), getattr(new, field), [section], field, ("", ""))
        return walker.changes


@dataclass(frozen=True)
class SectionChanges:
    key: str
    title: str
    changes: list[Change]


def by_section(changes: list[Change]) -> list[SectionChanges]:
    """Changes grouped under their section, in the order they came."""
    groups: dict[str, SectionChanges] = {}
    for change in changes:
        group = groups.setdefault(change.section, SectionChanges(change.section, change.label[0], []))
        group.changes.append(change)
    return list(groups.values())
