"""The office's reviewer pool (评审专家库, Zhuji 第九条（三）) and Keqiao's qualifications (第十一条),
checked when a group is formed and when a reviewer replaces one who recused; people named by their
real names with position and organisation, never by login; recorded rule paths in words."""

from __future__ import annotations

import pytest

from awards.refusals import ServiceError
from jurisdictions.models import Role
from jurisdictions.people import person_name
from jurisdictions.rules_wording import rule_label
from reviews import groups, pool
from reviews.models import GroupMember, PoolEntry
from tests.awards.builders import published_cycle
from tests.conftest import make_user
from tests.reviews.pool_builders import in_pool
from tests.reviews.test_ranking import eligible_apps, url

pytestmark = pytest.mark.django_db


def people(jurisdiction, n: int, prefix: str) -> list:
    names = ["王立新", "陈建国", "刘芳", "赵明", "孙丽"]
    return [make_user(f"{jurisdiction.slug}-{prefix}{i}", jurisdiction, Role.REVIEWER, first_name=names[i])
            for i in range(n)]


def test_keqiao_groups_need_pool_members_with_a_degree_or_senior_title_and_three_years(loaded, cast):
    keqiao = loaded["keqiao"]
    cycle = published_cycle(keqiao, cast["office"])
    a, b, c, d = people(keqiao, 4, "q")
    in_pool(keqiao, a, b)
    with pytest.raises(ServiceError) as refused:
        groups.form_group(cycle, name="第一组", leader=a, members=[b, c])
    assert refused.value.message == "以下人员不能担任本组评审员（第十一条）：刘芳不在评审专家库中。"
    assert refused.value.field == "members"

    in_pool(keqiao, c, degree="junior_college", senior_title=False, experience_years=2)
    with pytest.raises(ServiceError) as refused:
        groups.form_group(cycle, name="第一组", leader=a, members=[b, c])
    assert refused.value.message == (
        "以下人员不能担任本组评审员（第十一条）：刘芳不具备本科以上学历或高级专业技术职称、"
        "3年以上的质量管理或专业技术工作经历（现为2年）。")

    # Exactly three years is enough (三年以上 counts the number itself); a senior title stands in for
    # the degree.
    in_pool(keqiao, c, degree="junior_college", senior_title=True, experience_years=3)
    group = groups.form_group(cycle, name="第一组", leader=a, members=[b, c])
    assert group.members.count() == 3

    # A replacement after a recusal is checked the same way, next to the field.
    in_pool(keqiao, d, degree="bachelor", senior_title=False, experience_years=1)
    with pytest.raises(ServiceError) as refused:
        groups.add_member(group, d)
    assert refused.value.field == "reviewer"
    assert "赵明不具备3年以上的质量管理或专业技术工作经历（现为1年）" in refused.value.message
    pool.admit(keqiao, d, organisation="绍兴文理学院", position="讲师", degree="bachelor", senior_title=False,
               experience_years=4)
    groups.add_member(group, d)
    assert GroupMember.objects.filter(group=group, reviewer=d).exists()


def test_zhuji_draws_groups_from_its_pool_without_keqiaos_qualifications(loaded):
    zhuji = loaded["zhuji"]
    office = make_user("zj-office-pool", zhuji, Role.OFFICE)
    cycle = published_cycle(zhuji, office)
    a, b, c = people(zhuji, 3, "z")
    in_pool(zhuji, a, b, degree="none", senior_title=False, experience_years=0)
    with pytest.raises(ServiceError, match=r"（第九条（三））：刘芳不在评审专家库中。"):
        groups.form_group(cycle, name="第一组", leader=a, members=[b, c])
    in_pool(zhuji, c, degree="none", senior_title=False, experience_years=0)
    assert groups.form_group(cycle, name="第一组", leader=a, members=[b, c]).members.count() == 3


def test_binjiang_keeps_no_pool_rule(loaded):
    binjiang = loaded["binjiang"]
    office = make_user("bj-office-pool", binjiang, Role.OFFICE)
    cycle = published_cycle(binjiang, office)
    a, b, c = people(binjiang, 3, "b")
    assert groups.form_group(cycle, name="第一组", leader=a, members=[b, c]).members.count() == 3


def test_the_office_admits_reviewers_and_groups_name_them_with_position_and_organisation(client, loaded, cast):
    keqiao = loaded["keqiao"]
    office = cast["office"]
    cycle = published_cycle(keqiao, office)
    a, b, c = people(keqiao, 3, "p")
    client.force_login(office)
    page = client.get("/keqiao/office/reviewer-pool/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "第十一条" in html and "keqiao-p0" not in html

    # Bad input: Chinese messages next to the fields, what was typed kept.
    bad = client.post("/keqiao/office/reviewer-pool/", {"reviewer": a.pk, "organisation": "浙江省质量协会",
                                                        "experience_years": "三年"})
    assert bad.status_code == 200
    form = bad.context["form"]
    assert form.errors == {"position": ["请填写职务或职称。"], "degree": ["请选择学历。"],
                           "experience_years": ["请填写整数年数。"]}
    assert form["organisation"].value() == "浙江省质量协会"

    for person, org, position in ((a, "浙江省质量协会", "高级工程师"), (b, "浙江工业大学", "副教授"),
                                  (c, "中国质量认证中心", "高级审核员")):
        done = client.post("/keqiao/office/reviewer-pool/", {
            "reviewer": person.pk, "organisation": org, "position": position, "degree": "master",
            "senior_title": "on", "experience_years": "6"})
        assert done.status_code == 302
    assert PoolEntry.objects.filter(jurisdiction=keqiao, active=True).count() == 3
    listed = client.get("/keqiao/office/reviewer-pool/").content.decode()
    assert "王立新" in listed and "浙江省质量协会" in listed and "符合" in listed

    groups.form_group(cycle, name="第一评审组", leader=a, members=[b, c], actor=office)
    groups_page = client.get(url("keqiao", "office-review-groups", year=2026)).content.decode()
    assert "王立新" in groups_page and "（高级工程师，浙江省质量协会）" in groups_page
    for login in ("keqiao-p0", "keqiao-p1", "keqiao-p2"):
        assert login not in groups_page

    # Another jurisdiction's office cannot touch Keqiao's pool: 404.
    entry = PoolEntry.objects.get(reviewer=a)
    client.force_login(make_user("zj-office-pool2", loaded["zhuji"], Role.OFFICE))
    assert client.post(f"/zhuji/office/reviewer-pool/{entry.pk}/remove/").status_code == 404
    client.force_login(office)
    assert client.post(f"/keqiao/office/reviewer-pool/{entry.pk}/remove/").status_code == 302
    assert not PoolEntry.objects.get(pk=entry.pk).active


def test_history_shows_names_and_rules_in_words(client, loaded, cast):
    keqiao = loaded["keqiao"]
    office = cast["office"]
    office.first_name = "周晓岚"
    office.save()
    cycle = published_cycle(keqiao, office)
    (app,) = eligible_apps(cycle, office, [None])
    client.force_login(office)
    html = client.get(f"/keqiao/office/applications/{app.pk}/").content.decode()
    history = html[html.index('id="history"'):]
    assert "提交申报" in history and "资格审查" in history
    assert "application.submit" not in history and "kq-office" not in history
    assert "周晓岚" in history


def test_rule_paths_read_as_words_and_nameless_people_not_as_logins(loaded):
    assert rule_label("application.submit") == "提交申报"
    assert rule_label("shortlist.rule") == "入围规则"
    assert rule_label("eligibility.conditions.established") == "申报条件"
    assert rule_label("awards.quality.floors.total") == "分数线"
    assert rule_label("review.reopen.site") == "重新开放现场评审得分"
    assert rule_label("something.unknown") == ""
    nameless = make_user("kq-nameless")
    assert person_name(nameless) == "（未登记姓名）"
