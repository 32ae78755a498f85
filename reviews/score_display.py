"""How a score is written for people: the exact stored value, trailing zeros stripped.

Scores are kept exact (Decimal, never rounded on the way in) and floors compare the exact values.
Rounding for display could make 599.996 read as 600 next to a 600-point floor it fails, so a score
is shown with every digit it has (599.996, 694.5, 600) instead of to a fixed number of places:
the stored values have at most a few decimals, and a reader can check the arithmetic.
"""

from __future__ import annotations

from decimal import Decimal


def show_score(value: Decimal | int | float | str | None) -> str:
    if value is None:
        return ""
    text = f"{Decimal(str(value)):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
