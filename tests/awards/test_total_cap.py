"""Zhuji 第四条: at most 10 winners a year in all. Quotas whose sum exceeds a profile's total cap are
refused wherever quotas are set; the cap is available to what counts awards (the shortlist, the tally)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from awards import services
from awards.models import AwardCycle
from awards.quotas import TotalCap, default_quotas, total_awards, total_cap
from jurisdictions.models import Role
from tests.awards.test_cycles import field_block, form_data, url
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


def _create(jurisdiction, office, quotas):
    now = timezone.now()
    return services.create_cycle(jurisdiction, year=2026, actor=office, quotas=quotas,
                                 applications_open_at=now, applications_close_at=now + dt.timedelta(days=30))


def test_quotas_above_the_total_cap_are_refused_naming_the_article(loaded):
    zhuji = loaded["zhuji"]
    office = make_user("zj-office", zhuji, Role.OFFICE)
    with pytest.raises(services.ServiceError) as refused:
        _create(zhuji, office, {"quality": 5, "innovation": 10})
    assert refused.value.message == "各奖项名额合计15家，超过获奖组织总数上限10家（第四条），请调低名额。"
    assert refused.value.field == "quota_quality"
    with pytest.raises(services.ServiceError):
        _create(zhuji, office, {"quality": 4, "innovation": 7})
    assert not AwardCycle.objects.filter(jurisdiction=zhuji).exists()

    cycle = _create(zhuji, office, {"quality": 5, "innovation": 5})
    assert {q.award_code: q.quota for q in cycle.quotas.all()} == {"quality": 5, "innovation": 5}


def test_an_award_left_unset_gets_what_the_total_cap_leaves(loaded):
    zhuji = loaded["zhuji"]
    rules = zhuji.profile_in_force().typed
    assert default_quotas(rules, {}) == {"quality": 5, "innovation": 5}
    assert default_quotas(rules, {"quality": 2}) == {"quality": 2, "innovation": 8}
    assert default_quotas(loaded["keqiao"].profile_in_force().typed, {}) == {"quality": 3, "nomination": 10}
    cycle = _create(zhuji, make_user("zj-office", zhuji, Role.OFFICE), None)
    assert {q.award_code: q.quota for q in cycle.quotas.all()} == {"quality": 5, "innovation": 5}


def test_the_cap_is_there_for_whatever_counts_awards(loaded):
    zhuji, binjiang = loaded["zhuji"], loaded["binjiang"]
    assert total_cap(zhuji.profile_in_force().typed) == TotalCap(
        places=10, cite="第四条", note_zh="获奖组织不超过10家（质量奖与创新奖合计）")
    assert total_cap(binjiang.profile_in_force().typed) is None
    cycle = _create(zhuji, make_user("zj-office", zhuji, Role.OFFICE), {"quality": 5, "innovation": 5})
    awards = total_awards(cycle)
    assert (awards.places, awards.quota_sum, awards.capped_by_total, awards.cite) == (10, 10, False, "第四条")


def test_the_cycle_form_refuses_the_sum_next_to_the_quota_field(client, loaded):
    zhuji = loaded["zhuji"]
    client.force_login(make_user("zj-office", zhuji, Role.OFFICE))
    page = client.get(url("zhuji", "office-cycles"))
    html = page.content.decode()
    assert "各奖项名额合计不得超过10家（第四条：获奖组织不超过10家（质量奖与创新奖合计））。" in field_block(html, "quota_quality")
    # The form offers quotas the cap allows.
    assert 'value="5"' in field_block(html, "quota_innovation")

    response = client.post(url("zhuji", "office-cycles"), form_data(quota_quality="5", quota_innovation="10"))
    assert response.status_code == 200
    assert response.context["form"].errors == {
        "quota_quality": ["各奖项名额合计15家，超过获奖组织总数上限10家（第四条），请调低名额。"]}
    assert not AwardCycle.objects.filter(jurisdiction=zhuji).exists()
