"""Every free-text field has a server-side limit fitting its purpose, refused with a Chinese message."""

from __future__ import annotations

import pytest

from awards import text_limits
from reviews.forms_office import DisputeHandlingForm, SiteReportForm, SiteResponseForm


@pytest.mark.parametrize(("form_class", "field", "limit", "extra"), [
    (SiteReportForm, "report", text_limits.SITE_REPORT, {}),
    (SiteResponseForm, "comments", text_limits.COMMENT, {"decision": "dispute"}),
    (DisputeHandlingForm, "handling", text_limits.REASON, {}),
])
def test_a_text_one_character_over_its_limit_is_refused_and_at_the_limit_accepted(form_class, field, limit, extra):
    over = form_class({field: "字" * (limit + 1), **extra})
    assert not over.is_valid()
    assert over.errors[field] == [f"请控制在{limit}字以内（现为{limit + 1}字）。"]
    at = form_class({field: "字" * limit, **extra})
    at.is_valid()
    assert field not in at.errors


def test_every_textarea_of_every_form_has_a_limit():
    """A new free-text field without a limit fails here rather than in a reviewer's browser."""
    import inspect

    from django import forms

    import awards.forms_applicant
    import awards.forms_office
    import reviews.forms_office
    import reviews.forms_reviewer

    unlimited = []
    for module in (awards.forms_applicant, awards.forms_office, reviews.forms_office, reviews.forms_reviewer):
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if not issubclass(cls, forms.BaseForm) or cls.__module__ != module.__name__:
                continue
            for field_name, field in cls.base_fields.items():
                textarea = isinstance(field, forms.CharField) and isinstance(field.widget, forms.Textarea)
                if textarea and field.max_length is None:
                    unlimited.append(f"{module.__name__}.{name}.{field_name}")
    # The declaration notes are limited in OrganizationRecordForm.clean (their model fields are TextFields).
    assert [u for u in unlimited if not u.endswith("_note")] == []
