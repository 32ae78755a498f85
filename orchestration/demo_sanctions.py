"""Demo after-award record for `seed_demo`: a warning (警告, 第三十条) on Keqiao's first winner of its
completed edition, recorded once through the real service."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from awards.models import Application
from awards.states import AppState
from jurisdictions.models import Jurisdiction
from sanctions import winner_sanctions
from sanctions.models import Sanction


def seed_sanctions() -> Sanction | None:
    keqiao = Jurisdiction.objects.filter(slug="keqiao").first()
    if keqiao is None:
        return None
    winner = (Application.objects.filter(jurisdiction=keqiao, state=AppState.AWARDED)
              .order_by("-cycle__year", "pk").first())
    if winner is None:
        return None
    existing = Sanction.objects.filter(application=winner, level="warning").first()
    if existing is not None:
        return existing
    office = get_user_model().objects.get(username="keqiao-office")
    today = timezone.localdate()
    recorded = winner_sanctions.record(
        winner, office, level="warning", ground_code="", grounds_text="国家、省、市、县产品质量监督抽查不合格（第二十九条）",
        facts="获奖后一批次产品在县级产品质量监督抽查中不合格，未在30日内向评审办报告。",
        occurred_on=today - dt.timedelta(days=40), decided_on=today - dt.timedelta(days=5),
        document_number="柯质评〔演示〕1号")
    assert isinstance(recorded, Sanction)
    return recorded
