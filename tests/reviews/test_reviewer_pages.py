"""Reviewer pages: affiliations, conflicts of interest, the assigned list, scoring with autosave,
submission and locking, the leader's consensus, the group's stage score and reopening."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards import services
from awards.models import Application, ApplicationFile
from awards.refusals import ServiceError
from awards.states import AppState
from jurisdictions.models import Jurisdiction, Role
from reviews import groups, scoring
from reviews.models import Affiliation, Attestation, ConsensusItem, ItemScore, ScoreSheet, Stage, StageResult
from tests.awards.builders import organization, published_cycle, ready_draft, uscc_for
from tests.awards.test_cycles import field_block
from tests.conftest import make_user
from tests.reviews.pool_builders import in_pool

pytestmark = pytest.mark.django_db

DOC = Stage.DOCUMENT
ITEM_CODES = [
    "4.1.1", "4.1.2", "4.1.3", "4.2.1", "4.2.2", "4.3.1", "4.3.2", "4.4.1", "4.4.2", "4.4.3", "4.4.4", "4.4.5",
    "4.4.6", "4.5.1", "4.5.2", "4.6.1", "4.6.2", "4.7.1", "4.7.2", "4.7.3", "4.7.4", "4.7.5", "4.7.6",
]


# --- building the data through the domain ---------------------------------------------------------


def eligible_application(cycle, office, *, name: str | None = None) -> Application:
    org = organization(cycle.jurisdiction, name=name)
    user = org.users.get()
    app = services.submit(ready_draft(cycle, org, user), user)
    return services.decide_eligibility(app, office, AppState.ELIGIBLE)


@dataclass
class Review:
    jurisdiction: Jurisdiction
    cycle: object
    office: object
    app: Application
    leader: object
    member: object
    third: object
    group: object


def build_review(jurisdiction: Jurisdiction, office, *, prefix: str = "kq", org_name: str = "绍兴柯桥评审测试有限公司",
                 year: int = 2026) -> Review:
    """A published cycle, one eligible application and a group of three assigned to its document review."""
    cycle = published_cycle(jurisdiction, office, year=year)
    app = eligible_application(cycle, office, name=org_name)
    leader = make_user(f"{prefix}-leader", jurisdiction, Role.REVIEWER, first_name="组长")
    member = make_user(f"{prefix}-member", jurisdiction, Role.REVIEWER, first_name="评审员甲")
    third = make_user(f"{prefix}-third", jurisdiction, Role.REVIEWER, first_name="评审员乙")
    in_pool(jurisdiction, leader, member, third)
    group = groups.form_group(cycle, name="第一评审组", leader=leader, members=[member, third], actor=office)
    groups.assign(app, group, DOC, office)
    return Review(jurisdiction, cycle, office, app, leader, member, third, group)


def fill_sheet(review: Review, reviewer, percentages: dict[str, int] | None = None, default: int = 50) -> None:
    for code in ITEM_CODES:
        pct = (percentages or {}).get(code, default)
        scoring.save_item(review.app, reviewer, DOC, code, percentage=pct, strengths=f"{code}优势", opportunities="")


def attested(review: Review, *reviewers) -> None:
    for reviewer in reviewers:
        groups.attest(review.app, reviewer, no_conflict=True)


# --- fixtures and helpers ---------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def review(loaded, cast) -> Review:
    return build_review(loaded["keqiao"], cast["office"])


def url(name: str, slug: str = "keqiao", **kwargs) -> str:
    return reverse(name, kwargs={"jurisdiction": slug, **kwargs})


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def score_url(review: Review, stage: str = DOC) -> str:
    return url("reviewer-score", pk=review.app.pk, stage=stage)


def autosave(client: Client, review: Review, code: str, percentage="", strengths="", opportunities="",
             name: str = "reviewer-score-autosave"):
    prefix = "i" + code.replace(".", "_")
    return client.post(url(name, pk=review.app.pk, stage=DOC), {
        "item": code, f"{prefix}-percentage": str(percentage), f"{prefix}-strengths": strengths,
        f"{prefix}-opportunities": opportunities,
    }, HTTP_HX_REQUEST="true")


def sheet_post(review: Review, values: dict[str, tuple], action: str = "save") -> dict:
    data = {"action": action}
    if action == "submit":
        data["confirm_submit"] = "yes"
    for code in ITEM_CODES:
        pct, strengths, opportunities = values.get(code, ("", "", ""))
        prefix = "i" + code.replace(".", "_")
        data.update({f"{prefix}-percentage": str(pct), f"{prefix}-strengths": strengths,
                     f"{prefix}-opportunities": opportunities})
    return data


def text(response) -> str:
    return response.content.decode()


def first_file(review: Review) -> ApplicationFile:
    return review.app.files.order_by("pk").first()


# --- affiliations and the conflict check ------------------------------------------------------------


def test_assignment_is_refused_where_a_declared_uscc_matches_the_applicant(review, cast):
    other = eligible_application(review.cycle, review.office, name="诸暨客户关系测试有限公司")
    client = as_user(review.member)
    # Declared through the page, pasted in lower case with spaces: stored normalised.
    pasted = " ".join(other.organization.uscc.lower()[i:i + 6] for i in range(0, 18, 6))
    response = client.post(url("reviewer-affiliations"), {
        "kind": "client", "organization_name": "诸暨客户关系测试有限公司", "uscc": pasted, "note": "三年客户",
    })
    assert response.status_code == 302
    declared = Affiliation.objects.get(reviewer=review.member)
    assert declared.uscc == other.organization.uscc
    assert declared.jurisdiction == review.jurisdiction
    assert declared.history.count() == 1

    with pytest.raises(ServiceError) as refused:
        groups.assign(other, review.group, DOC, review.office)
    assert refused.value.message == (
        "不能分配：评审员申报的利害关系与申报组织的统一社会信用代码相同——评审员甲（客户：诸暨客户关系测试有限公司）。"
    )
    assert refused.value.field == "group"
    assert not other.assignments.exists()


def test_an_affiliation_with_a_bad_uscc_is_refused_next_to_the_field_and_keeps_the_input(review):
    client = as_user(review.member)
    bad = uscc_for(77)[:17] + ("0" if uscc_for(77)[17] != "0" else "1")
    response = client.post(url("reviewer-affiliations"), {
        "kind": "consulting", "organization_name": "某咨询服务对象有限公司", "uscc": bad, "note": "",
    })
    assert response.status_code == 200
    assert response.context["form"].errors == {"uscc": ["统一社会信用代码校验位不正确，请核对后重新输入。"]}
    # In the page: the message inside the code's own field block, every value typed still there.
    uscc = field_block(text(response), "uscc")
    assert 'class="field has-error"' in uscc and "<li>统一社会信用代码校验位不正确，请核对后重新输入。</li>" in uscc
    assert f'value="{bad}"' in uscc
    assert 'value="某咨询服务对象有限公司"' in field_block(text(response), "organization_name")
    assert '<option value="consulting" selected>' in field_block(text(response), "kind")
    assert not Affiliation.objects.exists()

    response = client.post(url("reviewer-affiliations"), {"kind": "", "organization_name": "", "uscc": "123"})
    errors = response.context["form"].errors
    assert errors["kind"] == ["请选择关系类型。"]
    assert errors["organization_name"] == ["请填写单位名称。"]
    assert errors["uscc"] == ["统一社会信用代码应为18位，您输入了3位。"]

    # A relationship without a code (a person, a foreign company) is accepted.
    response = client.post(url("reviewer-affiliations"), {"kind": "other", "organization_name": "某行业协会"})
    assert response.status_code == 302
    page = text(client.get(url("reviewer-affiliations")))
    assert "某行业协会" in page and "其他利害关系" in page


def test_affiliations_page_is_for_reviewers_of_this_jurisdiction(review, cast, loaded):
    home = text(as_user(review.member).get(url("reviewer-home")))
    assert url("reviewer-affiliations") in home and url("reviewer-applications") in home
    assert as_user(cast["applicant"]).get(url("reviewer-affiliations")).status_code == 404
    assert as_user(review.member).get(url("reviewer-affiliations", slug="zhuji")).status_code == 404
    anonymous = Client().get(url("reviewer-affiliations"))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith("/keqiao/accounts/login/")
    # Only one's own declarations are listed.
    Affiliation.objects.create(jurisdiction=review.jurisdiction, reviewer=review.leader, kind="employer",
                               organization_name="组长的任职单位")
    assert "组长的任职单位" not in text(as_user(review.member).get(url("reviewer-affiliations")))


# --- the list of assigned applications ---------------------------------------------------------------


def test_the_list_shows_only_assigned_applications_with_the_reviewers_progress(review):
    eligible_application(review.cycle, review.office, name="未分配给本组的组织有限公司")
    client = as_user(review.member)
    listing = url("reviewer-applications")

    page = text(client.get(listing))
    assert "绍兴柯桥评审测试有限公司" in page
    assert "未分配给本组的组织有限公司" not in page
    assert "待作回避声明" in page
    assert url("reviewer-attest", pk=review.app.pk) in page
    assert score_url(review) not in page

    attested(review, review.member)
    assert "已声明无利害关系" in text(client.get(listing))
    scoring.save_item(review.app, review.member, DOC, "4.1.1", percentage=50)
    assert "评分中" in text(client.get(listing))
    fill_sheet(review, review.member)
    scoring.submit_sheet(review.app, review.member, DOC)
    page = text(client.get(listing))
    assert "评分已提交" in page and "查看评分" in page
    # Only the leader is offered the consensus page.
    assert url("reviewer-consensus", pk=review.app.pk, stage=DOC) not in page
    attested(review, review.leader)
    assert url("reviewer-consensus", pk=review.app.pk, stage=DOC) in text(as_user(review.leader).get(listing))


def _count(client: Client, path: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def test_the_list_runs_the_same_queries_for_1_and_4_assignments(review):
    client = as_user(review.member)
    listing = url("reviewer-applications")
    client.get(listing)
    at_one = _count(client, listing)
    for n in range(3):
        app = eligible_application(review.cycle, review.office, name=f"批量测试组织{n}有限公司")
        groups.assign(app, review.group, DOC, review.office)
        groups.attest(app, review.member, no_conflict=True)
    at_four = _count(client, listing)
    assert at_four == at_one
    assert len(client.get(listing).context["stages"][0]["rows"]) == 4


# --- attestation and recusal --------------------------------------------------------------------------


def test_the_scoring_page_sends_an_unattested_reviewer_to_the_statement_with_the_recusal_article(review):
    client = as_user(review.member)
    response = client.get(score_url(review))
    assert response.status_code == 302
    assert response["Location"] == url("reviewer-attest", pk=review.app.pk) + "?stage=document"
    page = text(client.get(response["Location"]))
    # Keqiao's text has no recusal article (第二十七条 asks only for integrity and secrecy): the page shows
    # the rule as the office's setting, with the note that says so, from the profile the cycle pinned.
    assert review.cycle.profile.typed.review.recusal.cite == "office setting"
    assert "办事机构设定" in page and "office setting" not in page
    assert "办法未规定回避；第二十七条只要求参与评审工作的人员实事求是、公正廉洁" in page
    assert review.app.organization.uscc in page
    # Nothing of the application's content before the statement.
    assert "本组织概述" not in page
    assert as_user(review.member).get(url("reviewer-application-file", pk=review.app.pk,
                                          file_id=first_file(review).pk)).status_code == 404


def test_no_conflict_needs_the_box_ticked_then_opens_the_application(review):
    client = as_user(review.member)
    attest = url("reviewer-attest", pk=review.app.pk)
    response = client.post(attest, {"action": "no_conflict", "stage": "document"})
    assert response.status_code == 200
    assert response.context["confirm_form"].errors["confirm"] == ["请勾选确认后再提交“无利害关系”声明。"]
    assert not Attestation.objects.exists()

    response = client.post(attest, {"action": "no_conflict", "stage": "document", "confirm": "on"})
    assert response.status_code == 302
    assert response["Location"] == score_url(review)
    statement = Attestation.objects.get()
    assert (statement.reviewer, statement.decision) == (review.member, Attestation.Decision.NO_CONFLICT)

    page = text(client.get(score_url(review)))
    assert "本组织概述" in page  # the overview, read-only
    assert "领导" in page
    record = first_file(review)
    file_link = url("reviewer-application-file", pk=review.app.pk, file_id=record.pk)
    assert file_link in page
    download = client.get(file_link)
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    # Process and results guidance and the bands are on the page.
    assert "方法—展开—学习—整合" in page and "水平—趋势—对比—整合" in page
    assert "50–65%：方法有效并系统展开，有评价改进，结果良好并有趋势" in page


def test_recusal_needs_a_reason_then_removes_access_at_once_and_tells_the_office(
        review, cast, django_capture_on_commit_callbacks):
    client = as_user(review.member)
    attest = url("reviewer-attest", pk=review.app.pk)
    response = client.post(attest, {"action": "recuse", "reason": "  "})
    assert response.context["recusal_form"].errors["reason"] == ["申请回避时请写明理由。"]
    assert not Attestation.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(attest, {"action": "recuse", "reason": "本人曾为该组织提供咨询服务"})
    assert response.status_code == 302
    assert response["Location"] == url("reviewer-applications")
    statement = Attestation.objects.get()
    assert statement.decision == Attestation.Decision.RECUSED
    assert statement.reason == "本人曾为该组织提供咨询服务"
    assert [m.subject for m in mail.outbox] == ["评审员回避通知"]
    assert mail.outbox[0].to == [cast["office"].email]
    assert "评审组人数已低于最低要求" in mail.outbox[0].body

    record = first_file(review)
    for path in (attest, score_url(review), url("reviewer-application-file", pk=review.app.pk, file_id=record.pk)):
        assert client.get(path).status_code == 404, path
    assert autosave(client, review, "4.1.1", 50).status_code == 404
    page = text(client.get(url("reviewer-applications")))
    assert "已回避" in page
    assert score_url(review) not in page and attest not in page


def test_a_recused_reviewer_who_had_attested_cannot_be_recorded_twice(review):
    attested(review, review.member)
    client = as_user(review.member)
    response = client.post(url("reviewer-attest", pk=review.app.pk), {"action": "recuse", "reason": "后来发现有关系"})
    # The statement is made once; the page shows it instead of taking a second one.
    assert response.status_code == 200
    assert Attestation.objects.get().decision == Attestation.Decision.NO_CONFLICT


# --- who may open what --------------------------------------------------------------------------------


def test_an_unassigned_reviewer_gets_404_everywhere(review):
    stranger = make_user("kq-stranger", review.jurisdiction, Role.REVIEWER)
    client = as_user(stranger)
    record = first_file(review)
    for path in (
        url("reviewer-attest", pk=review.app.pk),
        score_url(review),
        url("reviewer-consensus", pk=review.app.pk, stage=DOC),
        url("reviewer-consensus-reopen", pk=review.app.pk, stage=DOC),
        url("reviewer-application-file", pk=review.app.pk, file_id=record.pk),
    ):
        assert client.get(path).status_code == 404, path
    assert autosave(client, review, "4.1.1", 50).status_code == 404
    assert client.post(url("reviewer-attest", pk=review.app.pk),
                       {"action": "no_conflict", "confirm": "on"}).status_code == 404
    assert not Attestation.objects.exists()
    assert "绍兴柯桥评审测试有限公司" not in text(client.get(url("reviewer-applications")))


def test_another_tenant_gets_404(review, loaded, cast):
    attested(review, review.member)
    # A reviewer of Zhuji, and the Keqiao reviewer asking through Zhuji's address.
    # Whatever answers 404 carries nothing of the Keqiao application: not its organisation or code.
    org = review.app.organization
    hidden = (org.name, org.uscc, review.app.number)

    def assert_hidden(response, path):
        assert response.status_code == 404, path
        assert not any(value in text(response) for value in hidden), path

    zhuji_reviewer = make_user("zj-reviewer", loaded["zhuji"], Role.REVIEWER)
    for user in (zhuji_reviewer, cast["other_office"]):
        assert_hidden(as_user(user).get(score_url(review)), score_url(review))
    review.member.memberships.create(jurisdiction=loaded["zhuji"], role=Role.REVIEWER)
    client = as_user(review.member)
    for path in (
        url("reviewer-score", slug="zhuji", pk=review.app.pk, stage=DOC),
        url("reviewer-attest", slug="zhuji", pk=review.app.pk),
        url("reviewer-consensus", slug="zhuji", pk=review.app.pk, stage=DOC),
    ):
        assert_hidden(client.get(path), path)
    # Nor does an autosave through Zhuji's address store a score on the Keqiao sheet.
    zhuji_autosave = url("reviewer-score-autosave", slug="zhuji", pk=review.app.pk, stage=DOC)
    assert client.post(zhuji_autosave, {"item": ITEM_CODES[0], f"i{ITEM_CODES[0].replace('.', '_')}-percentage": "50"},
                       HTTP_HX_REQUEST="true").status_code == 404
    assert not ItemScore.objects.filter(application=review.app).exclude(percentage=None).exists()
    assert client.get(score_url(review)).status_code == 200
    # An unknown stage is no page at all.
    assert client.get(url("reviewer-score", pk=review.app.pk, stage="final")).status_code == 404
    # A stage the group is not assigned to is not open either.
    assert client.get(url("reviewer-score", pk=review.app.pk, stage=Stage.SITE)).status_code == 404


# --- scoring ----------------------------------------------------------------------------------------------


def test_autosave_saves_one_item_and_answers_with_the_running_total(review):
    attested(review, review.member)
    client = as_user(review.member)
    response = autosave(client, review, "4.1.1", 55, strengths="高层领导以身作则", opportunities="战略沟通可加强")
    assert response.status_code == 200
    body = text(response)
    assert "已保存" in body
    # 50 points × 55% = 27.50, the running total out of band.
    assert '<span id="running-total" hx-swap-oob="true">27.50</span>' in body
    assert '<strong id="w-i4_1_1" hx-swap-oob="true">27.50</strong>' in body
    assert '<span id="scored-count" hx-swap-oob="true">1</span>' in body
    score = ItemScore.objects.get()
    assert (score.item_code, score.percentage, score.strengths, score.opportunities) == (
        "4.1.1", 55, "高层领导以身作则", "战略沟通可加强")

    response = autosave(client, review, "4.7.1", 35)
    # 27.50 + 80 × 35% = 55.50
    assert '<span id="running-total" hx-swap-oob="true">55.50</span>' in text(response)

    # A reload shows what the server holds.
    page = client.get(score_url(review))
    html = text(page)
    assert re.search(r'<select name="i4_1_1-percentage"[^>]*>.*?<option value="55" selected>55%</option>', html, re.S)
    assert "高层领导以身作则" in html and "战略沟通可加强" in html
    assert page.context["total"] == Decimal("55.50")
    assert '<span id="running-total">55.50</span>' in html
    # The autosave attributes the page wires on each item.
    assert 'hx-trigger="change, input changed delay:1s"' in html
    assert f'hx-post="{url("reviewer-score-autosave", pk=review.app.pk, stage=DOC)}"' in html


def test_autosave_after_the_session_ended_says_so_and_saves_nothing(review):
    attested(review, review.member)
    response = autosave(Client(), review, "4.1.1", 50)
    assert response.status_code == 200
    assert "未能保存：登录已超时，请重新登录后再保存。" in text(response)
    assert not ItemScore.objects.exists()
    # Someone signed in without the reviewer role here gets nothing.
    assert autosave(as_user(review.office), review, "4.1.1", 50).status_code == 404


def test_a_percentage_off_the_steps_is_refused_in_chinese(review):
    attested(review, review.member)
    client = as_user(review.member)
    response = autosave(client, review, "4.1.1", 57)
    assert "未能保存：得分率应为0到100之间5的整数倍。" in text(response)
    assert "running-total" not in text(response)
    assert not ItemScore.objects.exists()
    assert "未能保存：请从列表中选择得分率。" in text(autosave(client, review, "4.1.1", "abc"))

    # Without JavaScript the whole sheet posts: the bad item gets the message next to it, the rest
    # is saved and nothing typed is lost.
    data = sheet_post(review, {"4.1.1": (57, "坚持质量第一", ""), "4.1.2": (60, "治理结构完善", "")})
    response = client.post(score_url(review), data)
    assert response.status_code == 200
    form = response.context["blocks"][0].items[0].form
    assert form.errors["percentage"] == ["得分率应为0到100之间5的整数倍。"]
    html = text(response)
    assert "坚持质量第一" in html
    assert re.search(r'<select name="i4_1_1-percentage"[^>]*>.*?<option value="57"', html, re.S) is None
    assert list(ItemScore.objects.values_list("item_code", "percentage")) == [("4.1.2", 60)]


def test_the_save_button_saves_the_sheet_without_javascript(review):
    attested(review, review.member)
    client = as_user(review.member)
    data = sheet_post(review, dict.fromkeys(ITEM_CODES[:5], (70, "", "")))
    response = client.post(score_url(review), data)
    assert response.status_code == 302
    assert ItemScore.objects.filter(reviewer=review.member, percentage=70).count() == 5
    # Posting the same values again writes no new history rows.
    before = ItemScore.history.count()
    client.post(score_url(review), data)
    assert ItemScore.history.count() == before


def test_submit_needs_every_item_then_locks(review):
    attested(review, review.member)
    client = as_user(review.member)
    autosave(client, review, "4.1.1", 50)
    response = client.post(score_url(review), sheet_post(review, {"4.1.1": (50, "", "")}, action="submit"))
    assert response.status_code == 200
    missing = "、".join(ITEM_CODES[1:])
    assert response.context["submit_error"] == f"还有22个评分项未打分：{missing}"
    assert f"未能提交：还有22个评分项未打分：{missing}" in text(response)
    assert not scoring.has_submitted(review.app, review.member, DOC)

    values = dict.fromkeys(ITEM_CODES, (50, "", ""))
    response = client.post(score_url(review), sheet_post(review, values, action="submit"))
    assert response.status_code == 302
    sheet = ScoreSheet.objects.get(reviewer=review.member)
    assert sheet.submitted_at is not None

    refused = autosave(client, review, "4.1.1", 90)
    assert "未能保存：评分已提交并锁定；如需修改，请组长重新开放。" in text(refused)
    assert ItemScore.objects.get(reviewer=review.member, item_code="4.1.1").percentage == 50
    client.post(score_url(review), sheet_post(review, {**values, "4.1.1": (90, "", "")}))
    assert ItemScore.objects.get(reviewer=review.member, item_code="4.1.1").percentage == 50
    page = client.get(score_url(review))
    html = text(page)
    assert "<select" not in html
    assert "提交并锁定" in html
    assert page.context["total"] == Decimal("500")


# --- consensus --------------------------------------------------------------------------------------------


def test_consensus_is_the_leaders_alone_and_only_after_their_own_submission(review):
    attested(review, review.leader, review.member)
    fill_sheet(review, review.member, {"4.1.1": 85})
    scoring.save_item(review.app, review.member, DOC, "4.1.2", percentage=65, strengths="甲独有的优势描述")
    scoring.submit_sheet(review.app, review.member, DOC)
    consensus = url("reviewer-consensus", pk=review.app.pk, stage=DOC)

    # A member, even one who has submitted, never reads the others' scores.
    member = as_user(review.member)
    assert member.get(consensus).status_code == 404
    assert autosave(member, review, "4.1.1", 50, name="reviewer-consensus-autosave").status_code == 404
    assert member.get(url("reviewer-consensus-reopen", pk=review.app.pk, stage=DOC)).status_code == 404

    # The leader before submitting: told to submit first, shown nobody's scores.
    leader = as_user(review.leader)
    response = leader.get(consensus)
    assert response.status_code == 200
    html = text(response)
    assert "请先提交您自己的评分。" in html
    assert "甲独有的优势描述" not in html and "85%" not in html
    assert autosave(leader, review, "4.1.1", 50, name="reviewer-consensus-autosave").status_code == 404
    assert not ConsensusItem.objects.exists()


def test_no_reviewer_sees_another_reviewers_scores_before_submitting(review):
    attested(review, review.leader, review.member, review.third)
    scoring.save_item(review.app, review.member, DOC, "4.1.1", percentage=85, strengths="甲独有的优势描述")
    client = as_user(review.third)
    for path in (
        url("reviewer-applications"),
        score_url(review),
        url("reviewer-attest", pk=review.app.pk),
    ):
        response = client.get(path)
        assert response.status_code == 200
        assert "甲独有的优势描述" not in text(response), path
    assert "<option value=\"85\" selected>" not in text(client.get(score_url(review)))
    assert client.get(url("reviewer-consensus", pk=review.app.pk, stage=DOC)).status_code == 404
    # The leader's own page shows only the leader's sheet.
    assert "甲独有的优势描述" not in text(as_user(review.leader).get(score_url(review)))


def test_the_leader_sets_the_consensus_and_submits_the_exact_group_total(review):
    attested(review, review.leader, review.member, review.third)
    fill_sheet(review, review.member, {"4.1.1": 20})
    fill_sheet(review, review.third, {"4.1.1": 80})
    fill_sheet(review, review.leader)
    for reviewer in (review.member, review.third, review.leader):
        scoring.submit_sheet(review.app, reviewer, DOC)
    client = as_user(review.leader)
    consensus = url("reviewer-consensus", pk=review.app.pk, stage=DOC)

    response = client.get(consensus)
    assert response.status_code == 200
    rows = {row.item.code: row for block in response.context["blocks"] for row in block.items}
    spread = rows["4.1.1"].extra["spread"]
    # 50, 20, 80 (leader first): population standard deviation √600 ≈ 24.49.
    assert rows["4.1.1"].extra["cells"] == [50, 20, 80]
    assert round(spread.stdev, 2) == 24.49
    assert spread.high_spread is True
    assert rows["4.1.2"].extra["spread"].high_spread is False
    assert response.context["high_spread_count"] == 1
    html = text(response)
    assert "分歧较大" in html
    assert "4.1.1优势" in html  # members' comments, for the consensus comments

    # One item by autosave, the rest with the save button, then submit.
    answer = autosave(client, review, "4.1.1", 85, strengths="共识：领导作用突出", name="reviewer-consensus-autosave")
    assert "已保存" in text(answer)
    assert '<span id="running-total" hx-swap-oob="true">42.50</span>' in text(answer)
    values = dict.fromkeys(ITEM_CODES, (50, "", ""))
    values.update({"4.1.1": (85, "共识：领导作用突出", ""), "4.7.1": (35, "", "结果对比不足"), "4.4.2": (55, "", "")})
    response = client.post(consensus, sheet_post(review, values, action="submit"))
    assert response.status_code == 302
    # 500 at 50% everywhere; 4.1.1: 50×85% = 42.50 (+17.50); 4.7.1: 80×35% = 28.00 (−12.00);
    # 4.4.2: 15×55% = 8.25 (+0.75) → 506.25.
    result = StageResult.objects.get(application=review.app, stage=DOC)
    assert result.total == Decimal("506.25")
    assert result.submitted_by == review.leader
    assert ConsensusItem.objects.get(item_code="4.7.1").opportunities == "结果对比不足"
    page = client.get(consensus)
    assert page.context["locked"] is True
    assert 'id="group-result">506.25<' in text(page)
    refused = autosave(client, review, "4.1.1", 90, name="reviewer-consensus-autosave")
    assert "未能保存：本阶段评审组得分已确定，评分已锁定；如需修改，须由评审办重新开放。" in text(refused)


def test_group_submit_with_items_missing_says_which(review):
    attested(review, review.leader)
    fill_sheet(review, review.leader)
    scoring.submit_sheet(review.app, review.leader, DOC)
    client = as_user(review.leader)
    consensus = url("reviewer-consensus", pk=review.app.pk, stage=DOC)
    response = client.post(consensus, sheet_post(review, {"4.1.1": (50, "", "")}, action="submit"))
    assert response.status_code == 200
    assert response.context["submit_error"] == "还有22个评分项未确定共识分：" + "、".join(ITEM_CODES[1:])
    assert not StageResult.objects.exists()


def test_the_leader_reopens_a_member_sheet_after_confirming_until_the_group_score_exists(review):
    attested(review, review.leader, review.member)
    for reviewer in (review.leader, review.member):
        fill_sheet(review, reviewer)
        scoring.submit_sheet(review.app, reviewer, DOC)
    client = as_user(review.leader)
    reopen = url("reviewer-consensus-reopen", pk=review.app.pk, stage=DOC)

    # Asking shows a confirmation and changes nothing.
    page = client.get(f"{reopen}?member={review.member.pk}")
    assert page.status_code == 200
    assert "确定重新开放评审员甲的资料评审评分表吗？" in text(page)
    assert scoring.has_submitted(review.app, review.member, DOC)
    # A post without the confirmation only shows the question again.
    client.post(reopen, {"member": review.member.pk})
    assert scoring.has_submitted(review.app, review.member, DOC)

    response = client.post(reopen, {"member": review.member.pk, "confirm": "yes"})
    assert response.status_code == 302
    assert not scoring.has_submitted(review.app, review.member, DOC)
    assert "已保存" in text(autosave(as_user(review.member), review, "4.1.1", 65))
    assert ScoreSheet.history.filter(reviewer=review.member).count() >= 3  # created, submitted, reopened

    # Someone outside the group is no member to reopen.
    outsider = make_user("kq-outsider-reviewer", review.jurisdiction, Role.REVIEWER)
    assert client.get(f"{reopen}?member={outsider.pk}").status_code == 404

    # Once the group score exists, the sheets are locked: no reopening by the leader.
    scoring.submit_sheet(review.app, review.member, DOC)
    for code in ITEM_CODES:
        scoring.set_consensus(review.app, review.leader, DOC, code, percentage=60)
    scoring.submit_group_score(review.app, review.leader, DOC)
    response = client.post(reopen, {"member": review.member.pk, "confirm": "yes"}, follow=True)
    assert "本阶段评审组得分已确定，评分已锁定；如需修改，须由评审办重新开放。" in text(response)
    assert scoring.has_submitted(review.app, review.member, DOC)
    assert StageResult.objects.filter(application=review.app).count() == 1


# --- confirmations, the consensus's starting point, the office-only note ------------------------------


def test_submitting_a_sheet_needs_the_box_ticked_and_keeps_what_was_typed(review):
    attested(review, review.member)
    client = as_user(review.member)
    values = dict.fromkeys(ITEM_CODES, (60, "", ""))
    values["4.1.1"] = (70, "战略清晰", "")
    data = sheet_post(review, values, action="submit")
    del data["confirm_submit"]
    response = client.post(score_url(review), data)
    assert response.status_code == 200
    assert response.context["confirm_error"] == "请勾选确认后再提交评分；已填写的评分均已保存。"
    html = text(response)
    assert 'aria-describedby="confirm-submit-error"' in html and "我确认提交评分" in html
    assert not ScoreSheet.objects.filter(reviewer=review.member, submitted_at__isnull=False).exists()
    # Nothing typed is lost: every item was saved with the refused submission.
    assert ItemScore.objects.filter(reviewer=review.member).count() == len(ITEM_CODES)
    assert ItemScore.objects.get(reviewer=review.member, item_code="4.1.1").strengths == "战略清晰"

    response = client.post(score_url(review), sheet_post(review, values, action="submit"))
    assert response.status_code == 302
    assert ScoreSheet.objects.get(reviewer=review.member).submitted_at is not None


def test_the_scoring_page_does_not_tell_reviewers_the_points_are_unverified(review, cast):
    attested(review, review.member)
    note = "未与标准原文逐项核对"
    assert note not in text(as_user(review.member).get(score_url(review)))
    # The office still reads it on the cycle's page.
    office_page = as_user(cast["office"]).get(url("office-cycle", year=review.cycle.year))
    assert note in text(office_page) and 'id="criteria-source-note"' in text(office_page)


def test_consensus_starts_from_the_members_median_and_marks_disagreement(review):
    attested(review, review.leader, review.member, review.third)
    # 4.1.1: 50, 20, 80 → median 50, high spread; 4.1.2: all 60 → agreed; 4.1.3: 40, 45, 55 → 45;
    # the rest 50, 50, 50.
    fill_sheet(review, review.leader, {"4.1.1": 50, "4.1.2": 60, "4.1.3": 40})
    fill_sheet(review, review.member, {"4.1.1": 20, "4.1.2": 60, "4.1.3": 45})
    fill_sheet(review, review.third, {"4.1.1": 80, "4.1.2": 60, "4.1.3": 55})
    for reviewer in (review.leader, review.member, review.third):
        scoring.submit_sheet(review.app, reviewer, DOC)
    client = as_user(review.leader)
    consensus = url("reviewer-consensus", pk=review.app.pk, stage=DOC)
    response = client.get(consensus)
    rows = {row.item.code: row for block in response.context["blocks"] for row in block.items}
    assert [rows[c].form["percentage"].value() for c in ("4.1.1", "4.1.2", "4.1.3", "4.7.1")] == ["50", "60", "45", "50"]
    assert rows["4.1.2"].extra["spread"].agreed is True
    assert response.context["prefilled_count"] == len(ITEM_CODES)
    assert [row.item.code for row in response.context["disputed"]] == ["4.1.1"]
    html = text(response)
    assert 'class="score-item is-disputed"' in html and "成员一致" in html
    assert 'id="disputed-items"' in html and 'href="#item-i4_1_1"' in html
    assert "共识得分率已按成员中位数 50% 预填" in html
    # Not saved until the leader saves or submits the sheet (a page view writes nothing).
    assert not ConsensusItem.objects.exists()
    data = {"action": "save"}
    for code in ITEM_CODES:
        prefix = "i" + code.replace(".", "_")
        data.update({f"{prefix}-percentage": rows[code].form["percentage"].value(), f"{prefix}-strengths": "",
                     f"{prefix}-opportunities": ""})
    assert client.post(consensus, data).status_code == 302
    assert ConsensusItem.objects.get(item_code="4.1.3").percentage == 45
    assert ConsensusItem.objects.count() == len(ITEM_CODES)
    # Once set, the leader's own value stands and nothing is marked as prefilled.
    page = client.get(consensus)
    assert page.context["prefilled_count"] == 0


def test_an_even_group_median_between_two_steps_starts_on_the_lower_step():
    assert scoring.median_on_step([60, 65], 5) == 60
    assert scoring.median_on_step([60, 70], 5) == 65
    assert scoring.median_on_step([30, 50, 90], 5) == 50
    assert scoring.median_on_step([], 5) is None


def test_submitting_the_group_score_needs_the_box_ticked(review):
    attested(review, review.leader)
    fill_sheet(review, review.leader)
    scoring.submit_sheet(review.app, review.leader, DOC)
    client = as_user(review.leader)
    consensus = url("reviewer-consensus", pk=review.app.pk, stage=DOC)
    data = sheet_post(review, dict.fromkeys(ITEM_CODES, (50, "", "")), action="submit")
    del data["confirm_submit"]
    response = client.post(consensus, data)
    assert response.status_code == 200
    assert response.context["confirm_error"] == "请勾选确认后再提交评审组得分；已填写的共识分均已保存。"
    assert not StageResult.objects.exists()
    assert ConsensusItem.objects.count() == len(ITEM_CODES)
