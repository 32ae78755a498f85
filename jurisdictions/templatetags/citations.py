"""`{{ reason.cite|cite }}`: a citation as the reader sees it: 第十二条, in English "Art. 12 (第十二条)",
an office setting as the office's badge (jurisdictions/rules_wording.py::cite_label)."""

from django import template

from jurisdictions.rules_wording import cite_label

register = template.Library()


@register.filter(name="cite")
def cite(value: object) -> str:
    return cite_label(str(value)) if value else ""
