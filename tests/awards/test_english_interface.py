"""The English interface speaks English: pre-check lines in the profile's English wording,
citations as "Art. 12 (第十二条)", rule labels and the profile version's name in English; the
records themselves (the reasons stored with a decision) stay in Chinese."""

from __future__ import annotations

import pytest
from django.utils import translation

from awards import services
from awards.states import AppState
from jurisdictions.rules_wording import cite_in_english, cite_label, rule_label
from tests.awards.test_applicant_pages import applicant, draft, keqiao_cycle, ready, url  # noqa: F401

pytestmark = pytest.mark.django_db


def test_citations_read_as_articles_beside_the_chinese():
    assert cite_in_english("第十二条") == "Art. 12 (第十二条)"
    assert cite_in_english("第十四条（三）") == "Art. 14(3) (第十四条（三）)"
    assert cite_in_english("第十五～十六条") == "Arts. 15–16 (第十五～十六条)"
    assert cite_in_english("第二十、二十一条") == "Arts. 20 and 21 (第二十、二十一条)"
    assert cite_in_english("四（四）") == "Ch. 4(4) (四（四）)"
    assert cite_in_english("第一百零二条") == "Art. 102 (第一百零二条)"
    with translation.override("en"):
        assert cite_label("第十八条") == "Art. 18 (第十八条)"
        assert cite_label("office setting") == "Office setting"
        assert rule_label("shortlist.rule") == "Shortlist rule"
    with translation.override("zh-hans"):
        assert cite_label("第十八条") == "第十八条"


def test_the_precheck_is_english_on_the_english_pages_and_the_record_stays_chinese(client, ready, cast):  # noqa: F811
    client.cookies["django_language"] = "en"
    html = client.get(url("keqiao", "application-edit", pk=ready.pk)).content.decode()
    assert "Registered in Keqiao" in html
    assert "Art. 12 (第十二条)" in html
    assert "符合：在柯桥区登记注册" not in html
    client.cookies["django_language"] = "zh-hans"
    assert "符合：在柯桥区登记注册" in client.get(url("keqiao", "application-edit", pk=ready.pk)).content.decode()

    app = services.submit(ready, ready.organization.users.get())
    app = services.decide_eligibility(app, cast["office"], AppState.INELIGIBLE, reason="未通过 ISO 9001 认证。")
    stored = app.events.get(to_state=AppState.INELIGIBLE).details["precheck"]
    assert all("text_en" not in r for r in stored)
    assert any(r["text"] == "符合：在柯桥区登记注册" for r in stored)


def test_the_profile_version_is_named_in_english(loaded):
    profile = loaded["keqiao"].profile_in_force()
    with translation.override("en"):
        name = profile.version_name
    assert "2020-05-10" in name and "Keqiao" in name and "keqiao@" not in name
