"""{{ value|score }}: a score exactly as stored, trailing zeros stripped (reviews.score_display)."""

from django import template

from reviews.score_display import show_score

register = template.Library()


@register.filter
def score(value) -> str:
    return show_score(value)
