"""The applicant ticks the recommenders it has, each named as its own regulation names it."""

from __future__ import annotations

import json
from pathlib import Path

from django.utils import translation

from awards.forms_applicant import ApplicationDraftForm
from jurisdictions.criteria_schema import CriteriaDoc
from jurisdictions.profile_schema import RuleProfileDoc

ROOT = Path(__file__).resolve().parents[2]


def _form(slug: str) -> ApplicationDraftForm:
    profile = RuleProfileDoc.model_validate(json.loads(next((ROOT / "fixtures/rule_profiles" / slug).glob("*.json")).read_text()))
    criteria = CriteriaDoc.model_validate(json.loads(next((ROOT / "fixtures/criteria").glob("*.json")).read_text()))
    return ApplicationDraftForm(criteria=criteria, recommendation=profile.eligibility.recommendation.value)


def test_zhuji_asks_for_the_town_government_in_the_words_of_its_article():
    with translation.override("zh-hans"):
        choices = _form("zhuji").fields["recommenders"].choices
    # 第十三条（二）: 经所在地镇乡（街道）人民政府和行业主管部门（如有）签署推荐意见.
    assert choices == [("town", "所在地镇乡（街道）人民政府"), ("industry_authority", "行业主管部门（如有）")]


def test_keqiao_keeps_its_own_wording_for_the_same_recommender():
    with translation.override("zh-hans"):
        choices = _form("keqiao").fields["recommenders"].choices
    # 第十四条: 经镇（街道、开发区）、行业协会之一签署推荐意见.
    assert choices == [("town", "镇（街道、开发区）"), ("industry_association", "行业协会")]
