"""Casting a ballot, entering a paper ballot, and the rewrite that makes ballots unlinkable.

A member's vote writes two rows in one short transaction: a receipt (that they voted: round,
member) and a ballot (what was voted: round, kind, choices). Neither carries a time or an ordered
key, and the ballot names no member. While the round is open the two rows still share a
transaction id (xmin) and the ballots' physical order (ctid) follows voting order; closing the
round (rewrite_round, in the closing transaction) deletes and re-inserts every ballot and every
receipt of the round in an independent random order, so afterwards all of them carry the closing
transaction's xmin and their ctid order is random. docs/secret-ballot.md has the threat model.
"""

from __future__ import annotations

import secrets
import uuid

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from awards.refusals import ServiceError

from .models import Ballot, Round, VoteReceipt
from .tally import ABSTAIN, BLANK, CHOICES, MARKED, NO, SPOILED, YES, BallotIn

_random = secrets.SystemRandom()


def _lock_round_shared(round_id: int) -> str | None:
    """The round's state, holding a share lock: votes run side by side, a close waits for them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT state FROM committee_round WHERE id = %s FOR SHARE", [round_id])
            row = cursor.fetchone()
        return row[0] if row else None
    return Round.objects.filter(pk=round_id).values_list("state", flat=True).first()


def check_choices(candidate_ids: list[int], kind: str, choices: dict[str, str]) -> dict[str, str]:
    if kind not in (MARKED, BLANK, SPOILED):
        raise ServiceError(_("请选择选票类型。"), "kind")
    if kind != MARKED:
        return {}
    wanted = {str(pk) for pk in candidate_ids}
    unknown = set(choices) - wanted
    if unknown:
        raise ServiceError(_("选票上有不在本轮候选名单中的组织。"))
    if any(value not in CHOICES for value in choices.values()):
        raise ServiceError(_("每个候选组织只能选择赞成、不赞成或弃权。"))
    missing = wanted - set(choices)
    if missing:
        raise ServiceError(_("还有%(n)s个候选组织未作选择；如不作任何选择，请投空白票。") % {"n": len(missing)})
    return dict(choices)


def cast(round_: Round, member, kind: str, choices: dict[str, str]) -> None:
    """One present member's online ballot. A second ballot in the same round is refused."""
    if round_.method != Round.Method.ONLINE:
        raise ServiceError(_("本轮采用纸质选票，由评审办在监票人确认下录入，不能网上投票。"))
    present = round_.meeting.attendance.filter(member=member, present=True).exists()
    if not present:
        raise ServiceError(_("您未登记为本次会议的出席委员，不能投票。"))
    candidate_ids = list(round_.candidates.values_list("application_id", flat=True))
    choices = check_choices(candidate_ids, kind, choices)
    try:
        with transaction.atomic():
            if _lock_round_shared(round_.pk) != Round.State.OPEN:
                raise ServiceError(_("本轮投票已经结束，不能再投票。"))
            # The receipt first: the unique key (round, member) refuses a second ballot.
            VoteReceipt.objects.create(round_id=round_.pk, member=member)
            Ballot.objects.create(round_id=round_.pk, kind=kind, choices=choices)
    except IntegrityError as exc:
        raise ServiceError(_("您已在本轮投过票。每位委员每轮只能投一张票，不能重复投票或修改。")) from exc


def has_voted(round_: Round, member) -> bool:
    return VoteReceipt.objects.filter(round=round_, member=member).exists()


def enter_paper(round_: Round, kind: str, choices: dict[str, str], actor) -> int:
    """One paper ballot as the office reads it out with the scrutineer; returns the count entered."""
    if round_.method != Round.Method.PAPER:
        raise ServiceError(_("本轮为网上投票，不录入纸质选票。"))
    candidate_ids = list(round_.candidates.values_list("application_id", flat=True))
    choices = check_choices(candidate_ids, kind, choices)
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.state != Round.State.OPEN:
            raise ServiceError(_("本轮已经结束，不能再录入选票。"))
        if locked.totals_entered_at is not None:
            raise ServiceError(_("本轮已按候选组织得票合计录入，不能再逐张录入选票；如需更正，请重新录入合计。"))
        entered = Ballot.objects.filter(round=locked).count()
        if entered >= (locked.present_count or 0):
            raise ServiceError(_("已录入%(n)s张选票，与出席委员人数相同，不能再录入。") % {"n": entered})
        Ballot.objects.create(round=locked, kind=kind, choices=choices)
    return entered + 1


def yes_field(app_id: int) -> str:
    return f"yes_{app_id}"


def no_field(app_id: int) -> str:
    return f"no_{app_id}"


def totals_problems(present: int, ballots: int, spoiled: int, blank: int,
                    totals: dict[int, tuple[int, int]]) -> list[tuple[str, str]]:
    """What is wrong with a paper round's totals, as (field, message): ballots handed in beyond the
    members present, spoiled and blank beyond the ballots, a candidate's yes and no beyond the marked
    ballots (those handed in less the spoiled and blank ones, which carry no mark)."""
    problems: list[tuple[str, str]] = []
    if ballots > present:
        problems.append(("ballots", _("收回选票%(n)s张，超过出席委员%(present)s人。") % {
            "n": ballots, "present": present}))
        return problems
    if spoiled + blank > ballots:
        problems.append(("spoiled", _("废票%(s)s张与空白票%(b)s张合计超过收回的选票%(n)s张。") % {
            "s": spoiled, "b": blank, "n": ballots}))
        return problems
    marked = ballots - spoiled - blank
    for app_id, (yes, no) in totals.items():
        if yes + no > marked:
            problems.append((yes_field(app_id), _(
                "赞成%(yes)s票与不赞成%(no)s票合计%(sum)s票，超过收回选票%(n)s张中有标记的%(marked)s张"
                "（废票%(s)s张、空白票%(b)s张不计）。") % {
                "yes": yes, "no": no, "sum": yes + no, "n": ballots, "marked": marked, "s": spoiled, "b": blank}))
    return problems


def totals_as_ballots(ballots: int, spoiled: int, blank: int,
                      totals: dict[int, tuple[int, int]]) -> list[tuple[str, dict[str, str]]]:
    """Ballots that add up to the totals: the marked ones carry each candidate's yes, then no, and
    abstain on the rest, so the count (tally.count) gives back exactly the totals entered."""
    marked = ballots - spoiled - blank
    rows: list[tuple[str, dict[str, str]]] = []
    for i in range(marked):
        rows.append((MARKED, {str(app_id): YES if i < yes else NO if i < yes + no else ABSTAIN
                              for app_id, (yes, no) in totals.items()}))
    return rows + [(BLANK, {})] * blank + [(SPOILED, {})] * spoiled


def enter_totals(round_: Round, *, ballots: int, spoiled: int, blank: int, totals: dict[int, tuple[int, int]],
                 actor) -> None:
    """A paper round entered as the totals per candidate from the count sheet, the scrutineer
    confirming; entered again before the close, the new totals replace the old. The same count as
    for ballots entered one by one runs at the close."""
    if round_.method != Round.Method.PAPER:
        raise ServiceError(_("本轮为网上投票，不录入纸质选票。"))
    with transaction.atomic():
        locked = Round.objects.select_for_update().get(pk=round_.pk)
        if locked.state != Round.State.OPEN:
            raise ServiceError(_("本轮已经结束，不能再录入选票。"))
        candidate_ids = set(locked.candidates.values_list("application_id", flat=True))
        if set(totals) != candidate_ids:
            raise ServiceError(_("请为本轮每个候选组织填写得票合计。"))
        entered = Ballot.objects.filter(round=locked)
        if locked.totals_entered_at is None and entered.exists():
            raise ServiceError(_("本轮已逐张录入%(n)s张选票，不能再按合计录入。") % {"n": entered.count()},
                               "ballots")
        problems = totals_problems(locked.present_count or 0, ballots, spoiled, blank, totals)
        if problems:
            raise ServiceError(problems[0][1], problems[0][0])
        entered.delete()
        Ballot.objects.bulk_create([Ballot(round=locked, kind=kind, choices=choices)
                                    for kind, choices in totals_as_ballots(ballots, spoiled, blank, totals)])
        locked.totals_entered_at = timezone.now()
        locked.save(update_fields=["totals_entered_at"])


def rewrite_round(round_: Round) -> list[BallotIn]:
    """Inside the closing transaction: every ballot and receipt of the round deleted and re-inserted
    in independent random orders with fresh random keys. Returns the ballots, in no order."""
    ballots = [BallotIn(kind, choices) for kind, choices in Ballot.objects.filter(round=round_)
               .values_list("kind", "choices")]
    members = list(VoteReceipt.objects.filter(round=round_).values_list("member_id", flat=True))
    _random.shuffle(ballots)
    _random.shuffle(members)
    Ballot.objects.filter(round=round_).delete()
    VoteReceipt.objects.filter(round=round_).delete()
    Ballot.objects.bulk_create([Ballot(id=uuid.uuid4(), round=round_, kind=b.kind, choices=b.choices)
                                for b in ballots])
    VoteReceipt.objects.bulk_create([VoteReceipt(id=uuid.uuid4(), round=round_, member_id=m) for m in members])
    transaction.on_commit(vacuum_secret_tables)
    return ballots


def vacuum_secret_tables() -> None:
    """After the close commits: VACUUM drops the dead row versions that still carry voting order.
    Best effort (it needs the table owner's rights and no older snapshot holding the rows)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    try:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM committee_ballot, committee_votereceipt")
    except Exception:
        return
