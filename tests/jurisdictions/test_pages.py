"""The public pages: site home, a jurisdiction's home, its rules page, language switch and errors."""

from __future__ import annotations

import copy
import html
import re

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from jurisdictions.models import Jurisdiction, RuleProfile
from jurisdictions.profile_schema import RuleProfileDoc
from jurisdictions.public_pages import forget_local_copies
from jurisdictions.rules_presenter import present_profile
from jurisdictions.views import server_error
from tests.conftest import make_user

SLUGS = ["binjiang", "lucheng", "keqiao", "zhuji", "daqing"]


def text_of(fragment: str) -> str:
    """Visible text of an HTML fragment, whitespace collapsed (screen-reader-only text included)."""
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def rules_on(page: str) -> list[str]:
    """Each rule of a rules page as one line: the sentence, its article or badge, and its note."""
    items = re.findall(r'<li class="rule[^"]*">(.*?)</li>', page, flags=re.S)
    return [text_of(item) for item in items]


def body(response) -> str:
    return response.content.decode()


# --- site home ------------------------------------------------------------------------------
def test_home_lists_all_five_jurisdictions_as_cards(client, loaded):
    page = body(client.get("/"))
    cards = re.findall(r'<li class="card">(.*?)</li>\s*(?=<li class="card">|</ul>)', page, flags=re.S)
    assert len(cards) == 5
    assert [text_of(re.search(r"<h2.*?</h2>", c, flags=re.S).group(0)) for c in cards] == [
        "杭州高新区（滨江）",
        "温州市鹿城区",
        "绍兴市柯桥区",
        "诸暨市",
        "大庆市",
    ]
    keqiao = text_of(cards[2])
    assert "柯桥区政府质量奖" in keqiao
    assert "柯桥区政府质量奖评审委员会办公室（评审办）" in keqiao
    assert "《柯桥区政府质量奖评审管理办法》 绍柯政办发〔2020〕15号 现行有效" in keqiao
    # Lucheng's and Zhuji's texts are drafts for comment.
    assert "征求意见稿" in text_of(cards[1])
    assert "征求意见稿" in text_of(cards[3])
    assert "征求意见稿" not in keqiao
    for slug in SLUGS:
        assert f'href="/{slug}/"' in page
        assert f'href="/{slug}/rules/"' in page


def test_home_shows_no_login_link_without_a_jurisdiction(client, loaded):
    page = body(client.get("/"))
    assert "/accounts/login/" not in page
    assert 'name="language" value="en"' in page


def test_home_query_count_does_not_grow_with_jurisdictions(client, loaded, django_assert_num_queries):
    # One query for the jurisdictions, one for all their profiles, one for the running publicity
    # notices and one for the open calls; from the cache, none.
    cache.clear()
    with django_assert_num_queries(4):
        assert client.get("/").status_code == 200
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200
    # Another server process finds the page in the shared cache: still no query.
    forget_local_copies()
    with django_assert_num_queries(0):
        assert client.get("/").status_code == 200


# --- a jurisdiction's home ------------------------------------------------------------------
@pytest.mark.parametrize("slug", SLUGS)
def test_tenant_home_shows_awards_quotas_and_regulation(client, loaded, slug):
    jurisdiction = loaded[slug]
    doc = jurisdiction.profile_in_force().typed
    response = client.get(f"/{slug}/")
    assert response.status_code == 200
    page = text_of(body(response))
    assert jurisdiction.issuing_body_zh in page
    assert f"《{doc.regulation.title_zh}》" in page
    for award in doc.awards:
        assert award.name_zh in page
    assert f'href="/{slug}/rules/"' in body(response)
    assert f'href="/{slug}/accounts/login/"' in body(response)


def test_keqiao_home_table_has_each_award_with_quota_prize_and_article(client, loaded):
    page = body(client.get("/keqiao/"))
    rows = [text_of(r) for r in re.findall(r"<tr>(.*?)</tr>", re.search(r"<tbody>(.*?)</tbody>", page, re.S).group(1), re.S)]
    assert rows == [
        "柯桥区政府质量奖 3 奖牌、证书，奖金20万元 依据： 第三条",
        "柯桥区政府质量奖“提名奖” 从参评柯桥区政府质量奖的组织中评出 10 奖牌、证书，奖金10万元 依据： 第三条",
    ]


def test_zhuji_home_shows_the_total_cap_and_the_draft_status(client, loaded):
    page = text_of(body(client.get("/zhuji/")))
    assert "各奖项合计每届不超过10家。 依据： 第四条" in page
    assert "征求意见稿" in page


# --- rules pages ----------------------------------------------------------------------------
def test_keqiao_rules_page_cites_every_key_rule(client, loaded):
    response = client.get("/keqiao/rules/")
    assert response.status_code == 200
    rules = rules_on(body(response))
    for line in [
        "柯桥区政府质量奖：每届评出不超过3家。 依据： 第三条",
        "柯桥区政府质量奖“提名奖”：每届评出不超过10家。 依据： 第三条",
        "柯桥区政府质量奖奖金20万元。 依据： 第二十四条",
        "同一组织获得的奖金累计不超过20万元。 依据： 第二十四条",
        "申报须经下列单位之一推荐：镇（街道、开发区）、行业协会。 依据： 第十四条",
        "综合评分 = 资料评审得分 × 20% + 现场评审得分 × 80%。 依据： 第十八条",
        "柯桥区政府质量奖：总分不低于600分。 依据： 第五条",
        "柯桥区政府质量奖：现场评审得分不低于600分。 依据： 第五条",
        "表决会议由评委会主任或受其委托的副主任组织召开。 依据： 第十九条",
        "须有2/3以上（含本数）的委员到会，表决方为有效。 依据： 第十九条",
        "候选组织须获得到会委员半数以上（含半数）的赞成票，方可当选。 依据： 第十九条 说明： 半数以上含半数",
        "参加柯桥区政府质量奖表决未当选的组织，转入柯桥区政府质量奖“提名奖”表决。 依据： 第十九条",
        "现场评审结束后5个工作日内，评审组向评审办提交现场评审报告。 依据： 第十七条",
        "弄虚作假骗取奖项被取消荣誉的，5年内不再受理申报（期限5年，自撤销之日起计算）。 依据： 第二十六条"
        " 说明： 第二十六条规定5年内不再受理申报，未规定起算日；本办自取消荣誉资格之日起算",
    ]:
        assert line in rules


def test_keqiao_office_settings_carry_the_office_badge_and_note(client, loaded):
    page = body(client.get("/keqiao/rules/"))
    rules = rules_on(page)
    assert "公示期为7天（自然日）。 评审办设定 说明： 第二十条未规定公示期限，本办设定为7天" in rules
    publicity = re.search(r'<li class="rule rule-office">\s*<span class="rule-text">公示期为.*?</li>', page, re.S).group(0)
    assert '<span class="badge badge-office"' in publicity
    # Only values the regulation leaves open are badged; the vote quorum is the text's own rule.
    quorum = re.search(r'<li class="rule[^"]*">\s*<span class="rule-text">须有2/3.*?</li>', page, re.S).group(0)
    assert "badge-office" not in quorum


def test_zhuji_badges_use_its_own_office_name(client, loaded):
    rules = rules_on(body(client.get("/zhuji/rules/")))
    weights = next(r for r in rules if r.startswith("综合评分 ="))
    assert weights.startswith("综合评分 = 资料评审得分 × 30% + 现场评审得分 × 70%。 审定办设定 说明： ")
    assert "候选组织须获得有效票半数以上（含半数）的赞成票，方可当选。" in " ".join(rules)


def test_binjiang_cites_chapter_and_paragraph(client, loaded):
    rules = rules_on(body(client.get("/binjiang/rules/")))
    assert any(r.startswith("入围现场评审的组织不超过各奖项名额总数的1.5倍。 依据： 四（四）") for r in rules)
    assert "获得中国质量奖的，奖励200万元（获提名奖的奖励100万元）。 依据： 五（五）" in rules
    assert any(r.startswith("上级质量奖励按就高不重复原则兑现。 依据： 五（五）") for r in rules)


def test_daqing_decides_by_deliberation_and_keeps_records_ten_years(client, loaded):
    rules = rules_on(body(client.get("/daqing/rules/")))
    joined = "\n".join(rules)
    assert "以会议联评（集体审议）方式确定拟授奖名单。 依据： 第十七条" in joined
    assert "无记名投票" not in joined
    assert any(r.startswith("评审档案保存10年。 依据： 第三十六条") for r in rules)
    assert any(r.startswith("匿名异议不予受理。 依据： 第二十一条") for r in rules)


def test_zhuji_rules_page_says_what_its_draft_says_and_no_more(client, loaded):
    rules = rules_on(body(client.get("/zhuji/rules/")))
    joined = "\n".join(rules)
    # The draft names no issuer.
    assert rules[0] == "《诸暨市政府质量奖评审管理办法（2025年修订版）》，文本未载明印发机关。"
    # 第十三条（二）'s own words for the recommender, not Keqiao's 镇（街道、开发区）.
    assert "申报须经下列单位推荐：所在地镇乡（街道）人民政府。设有行业主管部门的，还须经其推荐。 依据： 第十三条（二）" in rules
    assert "开发区" not in joined
    # Secret ballot and recusal are the office's settings, never 第十三条（七） or 第十六条.
    assert any(r.startswith("诸暨市政府质量奖审定委员会（审委会）以无记名投票方式表决确定拟授奖名单。 审定办设定 说明： ") for r in rules)
    assert any(r.startswith("与申报组织有利害关系的评审人员应当回避。 审定办设定 说明： 办法未规定回避") for r in rules)
    # No cumulative prize cap: 第十四条 states none.
    assert "累计" not in joined


def test_daqing_rules_page_words_revocation_as_mandatory_and_objections_without_a_window(client, loaded):
    rules = rules_on(body(client.get("/daqing/rules/")))
    joined = "\n".join(rules)
    assert any(r.startswith("撤销规定适用于获奖后2年内发生的情形。 依据： 第三十二条") for r in rules)
    assert (
        "获奖后发生事故或其他问题的处理：获奖两年内发生质量、安全、环保事故，以及违法、违纪、违规行为的，"
        "撤销奖励并公开通报。 依据： 第三十二条"
    ) in rules
    assert "可撤销" not in joined
    # 第三十一条 also bars fraud found before an award, which is a disqualification, not a revocation.
    assert any(r.startswith("弄虚作假或采取其他不正当手段谋取政府质量奖，情节严重的，取消其今后四年内申报资格"
                            "（期限4年，自撤销奖励或取消评选资格之日起计算）。 依据： 第三十一条") for r in rules)
    objection = next(r for r in rules if r.startswith("任何单位或者个人可以提出异议。 依据： 第二十条 说明： "))
    assert "未将异议限定在公示期内" in objection
    # 好中选优 is Keqiao's and Lucheng's phrase (Zhuji says 好中择优); Daqing 第十四条 has the agency propose.
    assert "好中" not in joined
    assert "材料评审后确定进入现场评审的组织名单，不设固定入围比例。 依据： 第十四条 说明： 评审机构提出进入现场评审的名单，未规定比例" in rules
    # 第十六条 says nothing of ranking: the score order is the office's, and the joint meeting decides.
    assert any(
        r.startswith("推荐获奖名单按综合评分高低排列，提交大庆市质量、计量、标准化工作联席会议（联席会议）审议。 联席会议办公室设定")
        for r in rules
    )


@pytest.mark.parametrize("slug", SLUGS)
def test_no_rule_sentence_claims_a_principle_the_shortlist_article_lacks(client, loaded, slug):
    page = body(client.get(f"/{slug}/rules/"))
    sentences = [text_of(s) for s in re.findall(r'<span class="rule-text">(.*?)</span>', page, flags=re.S)]
    assert sentences
    assert not [s for s in sentences if "好中选优" in s or "好中择优" in s]


def test_keqiao_recusal_and_disqualification_are_office_settings(client, loaded):
    rules = rules_on(body(client.get("/keqiao/rules/")))
    assert any(r.startswith("与申报组织有利害关系的评审人员应当回避。 评审办设定 说明： 办法未规定回避；第二十七条只要求") for r in rules)
    assert any(r.startswith("公示期间反映的违法违规问题经查证属实的，取消其获奖资格。 评审办设定") for r in rules)
    # 第二十七条 is the reviewers' discipline, cited for their sanctions, never for the recusal setting.
    assert not [r for r in rules if "回避" in r and "依据： 第二十七条" in r]
    assert any(r.startswith("违反评审纪律的评审员，视情节轻重予以批评、警告、取消评审资格。 依据： 第二十七条") for r in rules)


def test_a_draft_that_names_no_issuer_says_so_on_its_home_page(client, loaded):
    page = text_of(body(client.get("/lucheng/")))
    assert "印发机关 文本未载明" in page
    assert "温州市鹿城区人民政府" not in page
    assert "印发机关 绍兴市柯桥区人民政府办公室" in text_of(body(client.get("/keqiao/")))


@pytest.mark.parametrize("slug", SLUGS)
def test_every_rule_of_every_profile_is_shown_with_its_article(client, loaded, slug):
    jurisdiction = Jurisdiction.objects.get(slug=slug)
    profile = RuleProfile.objects.filter(jurisdiction=jurisdiction).order_by("-effective_from").first()
    response = client.get(f"/{slug}/rules/")
    assert response.status_code == 200
    page = body(response)
    shown = rules_on(page)
    sections = present_profile(profile.typed, "zh-hans", criteria=profile.criteria.typed)
    expected = [rule for section in sections for rule in section.rules]
    assert len(shown) == len(expected)
    for line, rule in zip(shown, expected, strict=True):
        assert line.startswith(text_of(rule.text))
        if rule.cite:
            assert rule.cite in line
    # The criteria tree of GB/T 19580 is on the page, folded away.
    assert "<details" in page
    assert "4.7.1" in page and "产品和服务结果" in page


def test_rules_page_query_count_is_small_and_the_same_for_every_jurisdiction(
    client, loaded, django_assert_num_queries
):
    cache.clear()
    for slug in SLUGS:
        # The jurisdiction (middleware) and its profiles with their criteria; from this process's
        # copy, nothing; from the shared cache (another process), the jurisdiction only.
        with django_assert_num_queries(2):
            assert client.get(f"/{slug}/rules/").status_code == 200
        with django_assert_num_queries(0):
            assert client.get(f"/{slug}/rules/").status_code == 200
        forget_local_copies()
        with django_assert_num_queries(1):
            assert client.get(f"/{slug}/rules/").status_code == 200


def test_rules_page_query_count_when_logged_in(client, loaded, django_assert_num_queries):
    client.force_login(make_user("reader"))
    # + session, user, the user's memberships (for the role context), the unread notifications count.
    for slug in ("keqiao", "daqing"):
        with django_assert_num_queries(6):
            assert client.get(f"/{slug}/rules/").status_code == 200


# --- optional fields ------------------------------------------------------------------------
def _bare_keqiao(loaded) -> RuleProfileDoc:
    doc = copy.deepcopy(RuleProfile.objects.get(jurisdiction=loaded["keqiao"]).document)
    doc["bodies"].pop("supervisor_zh", None)
    doc["quota_rules"] = {"may_be_vacant": doc["quota_rules"]["may_be_vacant"]}
    doc.pop("higher_honours", None)
    doc["bans"] = []
    for award in doc["awards"]:
        award.pop("repeat_win", None)
        award["floors"] = {}
    doc["review"].pop("site_report_deadline", None)
    doc["vote"].pop("chair_zh", None)
    doc["vote"].pop("majority", None)
    doc["vote"].pop("majority_basis", None)
    doc["vote"]["quorum"] = {"value": None, "cite": "office setting"}
    doc["post_award"] = {k: doc["post_award"][k] for k in ("title_use_zh", "fraud_consequences_zh",
                                                             "sanction_ladder", "revocation_grounds")}
    doc["regulation"]["document_number"] = ""
    doc["regulation"].pop("issued_on", None)
    doc["eligibility"]["recommendation"] = {"value": {"rule": "none"}, "cite": "第十四条"}
    return RuleProfileDoc.model_validate(doc)


@pytest.mark.parametrize("lang", ["zh-hans", "en"])
def test_a_profile_with_every_optional_field_empty_still_reads(loaded, lang):
    sections = present_profile(_bare_keqiao(loaded), lang)
    keys = [s.key for s in sections]
    assert "bans" not in keys
    vote = next(s for s in sections if s.key == "vote")
    if lang == "zh-hans":
        assert vote.rules[1].text == "未规定到会人数要求。"
        assert vote.rules[1].cite == "评审办设定"
        eligibility = next(s for s in sections if s.key == "eligibility")
        assert "申报组织直接向评审办申报，无需推荐。" in [r.text for r in eligibility.rules]
    else:
        assert vote.rules[1].text == "No quorum is set for the meeting."
        assert vote.rules[1].cite == "Set by the office"


# --- language -------------------------------------------------------------------------------
def test_english_switch_translates_the_rules_page(client, loaded):
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/keqiao/rules/"}, follow=True)
    assert response.redirect_chain == [("/keqiao/rules/", 302)]
    page = body(response)
    assert '<html lang="en">' in page
    rules = rules_on(page)
    assert "Composite score = document review score × 20% + site review score × 80%. Basis: Art. 18 (第十八条)" in rules
    assert "For the vote to be valid, at least 2/3 (inclusive) of the members must be present. Basis: Art. 19 (第十九条)" in rules
    assert any(r.startswith("Publicity lasts 7 calendar days. Set by the office Note:") for r in rules)
    assert "Evaluation rules" in page
    assert "Keqiao District Government Quality Award Evaluation Measures" in page

    back = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/keqiao/rules/"}, follow=True)
    assert '<html lang="zh-Hans">' in body(back)
    assert "综合评分 = 资料评审得分 × 20% + 现场评审得分 × 80%。 依据： 第十八条" in rules_on(body(back))


def test_english_zhuji_page_names_the_recommender_as_its_text_does(client, loaded):
    client.post("/i18n/setlang/", {"language": "en", "next": "/zhuji/rules/"})
    rules = rules_on(body(client.get("/zhuji/rules/")))
    assert (
        "An application must be recommended by: the local town or township (street) government. "
        "Where there is one, the industry authority must also recommend. Basis: Art. 13(2) (第十三条（二）)"
    ) in rules
    assert not [r for r in rules if "development zone" in r]


def test_english_home_shows_english_names(client, loaded):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = text_of(body(client.get("/")))
    assert "Keqiao District, Shaoxing" in page
    assert "Draft for comment" in page
    assert "Government Quality Award Evaluation System" in page


# --- errors ---------------------------------------------------------------------------------
def test_unknown_jurisdiction_answers_404_with_the_chinese_message(client, loaded):
    response = client.get("/nowhere/rules/")
    assert response.status_code == 404
    page = body(response)
    assert "没有代码为“nowhere”的辖区，请从首页选择。" in html.unescape(page)
    assert "页面不存在" in page


def test_djangos_own_404_shows_the_generic_message(client, loaded):
    response = client.get("/keqiao/no-such-page/")
    assert response.status_code == 404
    page = html.unescape(body(response))
    assert "您访问的页面不存在，或您没有查看权限。" in page
    assert "tried" not in page


def test_server_error_page_renders_without_request_context():
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "系统暂时出现问题" in response.content.decode()
