"""What the committee pages and the result sheet show: rounds with counts and cited reasons, and
each candidate's final outcome. Citations are shown as the reader sees them (评审办设定 for an
office setting), never as the schema's marker."""

from __future__ import annotations

from awards.states import AppState
from jurisdictions.rules_wording import cite_label

from .models import Meeting, Round, RoundCandidate


def cited(value) -> dict | None:
    if value is None:
        return None
    return {"value": value.value, "cite": cite_label(value.cite), "note": value.note_zh}


def _reasons(entry: RoundCandidate) -> list[dict]:
    return [{**r, "cite": cite_label(r.get("cite", ""))} for r in entry.reasons]


def round_rows(meeting: Meeting) -> list[dict]:
    rules = meeting.cycle.profile.typed
    rows = []
    for round_ in meeting.rounds.prefetch_related("candidates__application__organization").order_by("number"):
        rows.append({
            "round": round_, "award": rules.award(round_.award_code).name_zh,
            "entries": [{"entry": e, "reasons": _reasons(e)} for e in round_.candidates.all()],
        })
    return rows


def final_outcome(entry: RoundCandidate) -> str:
    words: dict[str, str] = {AppState.PROPOSED: "proposed", AppState.NOT_SELECTED: "not_selected"}
    return words.get(entry.decided_move, "")


def meeting_result(meeting: Meeting) -> dict:
    """The closed rounds, and per application its decisive entry (proposed for an award, or not selected)."""
    rows = [r for r in round_rows(meeting) if r["round"].state == Round.State.CLOSED]
    decided = []
    for row in rows:
        for item in row["entries"]:
            if item["entry"].decided_move in (AppState.PROPOSED, AppState.NOT_SELECTED):
                decided.append({**item, "award": row["award"], "round": row["round"],
                                "proposed": item["entry"].decided_move == AppState.PROPOSED})
    return {"rounds": rows, "decided": decided}
