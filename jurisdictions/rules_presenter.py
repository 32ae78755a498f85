"""A rule profile told in plain sentences, each with the article it comes from.

The public rules page shows what a jurisdiction's regulation says and which values the office set
where the text is silent. Every sentence is a Chinese msgid with placeholders, so the English page
comes from the translation catalogue; values the schema holds only in Chinese (``*_zh``) stay
Chinese inside the English sentence rather than being guessed at.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from . import rules_wording as wording
from .criteria_schema import CriteriaDoc
from .profile_schema import Award, RuleProfileDoc
from .rules_decision_sentences import DecisionSentences
from .rules_wording import Rule


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    rules: list[Rule] = field(default_factory=list)
    intro: str = ""


@dataclass(frozen=True)
class AwardSummary:
    name: str
    quota: int
    quota_rule: Rule
    prize: str
    lower_tier_of: str = ""


@dataclass(frozen=True)
class Summary:
    regulation_title: str
    regulation_note: str
    status: str
    cycle: Rule
    awards: list[AwardSummary]
    total_cap: Rule | None
    stages: list[str]


def present_profile(profile: RuleProfileDoc, lang: str, criteria: CriteriaDoc | None = None) -> list[Section]:
    """The profile as titled sections of cited sentences, in ``lang`` ("zh-hans" or "en")."""
    with translation.override(lang):
        writer = _Writer(profile)
        sections = [
            Section("regulation", _("依据文件"), writer.regulation()),
            Section("bodies", _("组织机构"), writer.bodies()),
            Section("awards", _("奖项与名额"), writer.awards()),
            Section("eligibility", _("申报条件"), writer.eligibility(), _("申报组织应当符合下列条件：")),
            Section("stages", _("评审程序"), writer.stages()),
            Section("review", _("评审组与回避"), writer.review()),
            Section("shortlist", pgettext("rules page section", "入围现场评审"), writer.shortlist()),
            Section("scoring", _("评分与权重"), writer.scoring(criteria)),
            Section("vote", _("表决规则"), writer.vote()),
            Section("publicity", _("公示"), writer.publicity()),
            Section("objections", _("异议处理"), writer.objections()),
            Section("approval", _("审定批准"), writer.approval()),
            Section("bans", _("禁止申报情形"), writer.bans()),
            Section("post_award", _("获奖后义务"), writer.post_award()),
            Section("records", _("档案保存"), writer.records()),
        ]
    return [s for s in sections if s.rules]


def present_summary(profile: RuleProfileDoc, lang: str) -> Summary:
    """What a jurisdiction's home page shows: the regulation, the awards and the stages."""
    with translation.override(lang):
        writer = _Writer(profile)
        reg = profile.regulation
        cap = profile.quota_rules.total_cap
        return Summary(
            regulation_title=reg.title_en if writer.en else reg.title_zh,
            regulation_note=(reg.note_en or reg.note_zh) if writer.en else reg.note_zh,
            status=wording.status_label(reg.status),
            cycle=writer.cycle(),
            awards=[
                AwardSummary(
                    name=writer.award_name(award),
                    quota=award.quota.value,
                    quota_rule=writer.rule(_quota_sentence(writer.award_name(award), award.quota.value), award.quota),
                    prize=writer.prize(award),
                    lower_tier_of=writer.award_name(profile.award(award.lower_tier_of)) if award.lower_tier_of else "",
                )
                for award in profile.awards
            ],
            total_cap=writer.rule(_total_cap_sentence(cap.value), cap) if cap else None,
            stages=[stage.name_en if writer.en else stage.name_zh.value for stage in profile.stages],
        )


def office_setting_label(profile: RuleProfileDoc, lang: str) -> str:
    """The badge on values the regulation leaves to the office, e.g. 审定办设定."""
    with translation.override(lang):
        return _Writer(profile).badge


def _quota_sentence(name: str, quota: int) -> str:
    return _("%(award)s：每届评出不超过%(quota)s家。") % {"award": name, "quota": quota}


def _total_cap_sentence(cap: int) -> str:
    return _("各奖项合计每届不超过%(n)s家。") % {"n": cap}


class _Writer(DecisionSentences):
    """All sections of one profile in the active language."""

    def regulation(self) -> list[Rule]:
        reg = self.p.regulation
        title = reg.title_en if self.en else reg.title_zh
        values = {"title": title, "number": reg.document_number, "issuer": reg.issued_by_zh}
        if reg.document_number and reg.issued_by_zh:
            text = _("《%(title)s》（%(number)s），由%(issuer)s印发。") % values
        elif reg.issued_by_zh:
            text = _("《%(title)s》，由%(issuer)s印发。") % values
        else:
            # A draft for comment names no issuer; naming the likely one would put words in the text.
            text = _("《%(title)s》，文本未载明印发机关。") % values
        rules = [self.rule(text)]
        if reg.issued_on:
            rules.append(self.rule(_("印发日期：%(date)s。") % {"date": wording.date(reg.issued_on)}))
        rules.append(self.rule(_("文件状态：%(status)s。") % {"status": wording.status_label(reg.status)}))
        if reg.status == "draft":
            rules.append(self.rule(_("本页规则依据征求意见稿整理，文件正式印发后以正式文本为准。")))
        note = (reg.note_en or reg.note_zh) if self.en else reg.note_zh
        if note:
            rules.append(self.rule(_("说明：%(note)s") % {"note": note}))
        rules.append(
            self.rule(
                _("本规则配置版本：%(version)s，自%(date)s起适用。")
                % {"version": self.p.version, "date": wording.date(self.p.effective_from)}
            )
        )
        return rules

    def bodies(self) -> list[Rule]:
        b = self.p.bodies
        office = b.office_en if self.en else b.office_zh
        approver = b.approver_en if self.en else b.approver_zh
        rules = [
            self.rule(_("评审委员会：%(name)s。") % {"name": self.committee}, b.committee_en if self.en else b.committee_zh),
            self.rule(_("办事机构：%(name)s。") % {"name": office.value}, office),
            self.rule(_("批准机关：%(name)s。") % {"name": approver.value}, approver),
        ]
        if b.supervisor_zh:
            rules.append(self.rule(_("监督机构：%(name)s。") % {"name": b.supervisor_zh.value}, b.supervisor_zh))
        return rules

    def awards(self) -> list[Rule]:
        rules = [self.cycle()]
        for award in self.p.awards:
            name = self.award_name(award)
            rules.append(self.rule(_quota_sentence(name, award.quota.value), award.quota))
            rules.append(
                self.rule(
                    _("%(award)s授予%(honours)s。")
                    % {"award": name, "honours": wording.labels(award.honours.value, wording.HONOURS)},
                    award.honours,
                )
            )
            if award.prize_cny.value:
                money = _("%(award)s奖金%(money)s。") % {"award": name, "money": wording.money(award.prize_cny.value)}
            else:
                money = _("%(award)s不设奖金。") % {"award": name}
            rules.append(self.rule(money, award.prize_cny))
            if award.repeat_win:
                rules.extend(self._repeat_win(name, award))
        rules.extend(self._quota_rules())
        rules.extend(self._higher_honours())
        return rules

    def _repeat_win(self, name: str, award: Award) -> list[Rule]:
        repeat = award.repeat_win
        assert repeat is not None
        if repeat.prize_cny.value:
            money = _("再次获得%(award)s的，奖金%(money)s。") % {"award": name, "money": wording.money(repeat.prize_cny.value)}
        else:
            money = _("再次获得%(award)s的，不再给予奖金。") % {"award": name}
        if repeat.counts_in_quota.value:
            quota = _("再次获得%(award)s的，占当年名额。") % {"award": name}
        else:
            quota = _("再次获得%(award)s的，不占当年名额。") % {"award": name}
        rules = [self.rule(money, repeat.prize_cny), self.rule(quota, repeat.counts_in_quota)]
        if repeat.honours:
            honours = wording.labels(repeat.honours.value, wording.HONOURS)
            rules.insert(0, self.rule(_("再次获得%(award)s的，授予%(honours)s。") % {"award": name, "honours": honours}, repeat.honours))
        return rules

    def _quota_rules(self) -> list[Rule]:
        q = self.p.quota_rules
        rules = []
        if q.total_cap:
            rules.append(self.rule(_total_cap_sentence(q.total_cap.value), q.total_cap))
        if q.may_be_vacant.value:
            rules.append(self.rule(_("达不到条件的，奖项可以空缺或不足额评出。"), q.may_be_vacant))
        else:
            rules.append(self.rule(_("奖项名额应当评足。"), q.may_be_vacant))
        if q.prize_cumulative_cap_cny:
            rules.append(
                self.rule(
                    _("同一组织获得的奖金累计不超过%(money)s。") % {"money": wording.money(q.prize_cumulative_cap_cny.value)},
                    q.prize_cumulative_cap_cny,
                )
            )
        if q.same_award_paid_once:
            if q.same_award_paid_once.value:
                rules.append(self.rule(_("相同奖项不重复给予奖金。"), q.same_award_paid_once))
            else:
                rules.append(self.rule(_("再次获得相同奖项的，可再次给予奖金。"), q.same_award_paid_once))
        upgrade = q.upgrade_pays_difference
        if upgrade and len(upgrade.value) == 2:
            names = {a.code: self.award_name(a) for a in self.p.awards}
            lower, higher = (names.get(code, code) for code in upgrade.value)
            rules.append(
                self.rule(
                    _("已获%(lower)s的组织此后获得%(higher)s的，补足奖金差额。") % {"lower": lower, "higher": higher},
                    upgrade,
                )
            )
        for item in q.outside_quota:
            rules.append(self.rule(_("不占名额：%(text)s。") % {"text": wording.clause(item.value)}, item))
        return rules

    def _higher_honours(self) -> list[Rule]:
        h = self.p.higher_honours
        if h is None:
            return []
        rules = []
        for bonus in h.bonuses.value:
            rules.append(
                self.rule(
                    _("获得%(level)s的，奖励%(award)s（获提名奖的奖励%(nomination)s）。")
                    % {
                        "level": bonus.level_en if self.en else bonus.level_zh,
                        "award": wording.money(bonus.award_amount_cny),
                        "nomination": wording.money(bonus.nomination_amount_cny),
                    },
                    h.bonuses,
                )
            )
        if h.highest_only.value:
            rules.append(self.rule(_("上级质量奖励按就高不重复原则兑现。"), h.highest_only))
        else:
            rules.append(self.rule(_("上级质量奖励可以累计兑现。"), h.highest_only))
        return rules

    def eligibility(self) -> list[Rule]:
        e = self.p.eligibility
        cycle = self.p.cycle
        rules = []
        for condition in e.conditions:
            text = condition.text_en if self.en else condition.text_zh
            rules.append(self.rule(_("%(condition)s。") % {"condition": wording.clause(text)}, condition.test))
        rules.append(self._recommendation())
        via = e.recommendation.value.via_en if self.en else e.recommendation.value.via_zh
        if via:
            rules.append(self.rule(_("报送要求：%(text)s。") % {"text": wording.clause(via)}, e.recommendation))
        if cycle.fees.value:
            rules.append(self.rule(_("申报和评审收取费用。"), cycle.fees))
        else:
            rules.append(self.rule(_("申报和评审不收取任何费用。"), cycle.fees))
        if cycle.one_application_per_cycle.value:
            rules.append(self.rule(_("每个组织每届只能提交一份申报。"), cycle.one_application_per_cycle))
        checks = e.review_checks_en if self.en else e.review_checks_zh
        rules.append(self.rule(_("资格审查：%(text)s。") % {"text": wording.clause(checks.value)}, checks))
        if e.return_for_completion.value:
            rules.append(self.rule(_("申报材料不完整的，通知申报组织补充完善。"), e.return_for_completion))
        else:
            rules.append(self.rule(_("申报材料不完整的，不退回补正。"), e.return_for_completion))
        if e.written_reason_on_failure.value:
            rules.append(self.rule(_("未通过审查的，书面告知理由。"), e.written_reason_on_failure))
        else:
            rules.append(self.rule(_("未通过审查的，不另行书面告知理由。"), e.written_reason_on_failure))
        return rules

    def _recommendation(self) -> Rule:
        cited = self.p.eligibility.recommendation
        rec = cited.value
        # Zhuji lists the industry authority both as a recommender and as "where there is one".
        required = [r for r in rec.recommenders if r not in rec.optional_recommenders]
        names = wording.recommender_names(required, rec)
        if rec.rule == "none" or not rec.recommenders:
            text = _("申报组织直接向%(office)s申报，无需推荐。") % {"office": self.office}
        elif not required:
            text = ""
        elif rec.rule == "one_of" and len(required) > 1:
            text = _("申报须经下列单位之一推荐：%(names)s。") % {"names": names}
        else:
            text = _("申报须经下列单位推荐：%(names)s。") % {"names": names}
        if rec.optional_recommenders and rec.rule != "none":
            text += _("设有%(names)s的，还须经其推荐。") % {"names": wording.recommender_names(rec.optional_recommenders, rec)}
        return self.rule(text, cited)

    def stages(self) -> list[Rule]:
        rules = []
        for number, stage in enumerate(self.p.stages, start=1):
            if self.en:
                text = _("第%(n)s步：%(name)s") % {"n": number, "name": f"{stage.name_en} ({stage.name_zh.value})"}
            else:
                text = _("第%(n)s步：%(name)s") % {"n": number, "name": stage.name_zh.value}
            rules.append(self.rule(text, stage.name_zh))
        return rules

    def review(self) -> list[Rule]:
        r = self.p.review
        rules = []
        if r.reviewers.value == "third_party_agency":
            rules.append(self.rule(_("评审工作委托第三方评价机构承担。"), r.reviewers))
            rules.append(
                self.rule(_("每个评审组不少于%(n)s名评审人员。") % {"n": r.group_min_size.value}, r.group_min_size)
            )
        else:
            rules.append(self.rule(_("%(office)s组建评审组开展评审。") % {"office": self.office}, r.reviewers))
            rules.append(
                self.rule(_("每个评审组不少于%(n)s名评审员。") % {"n": r.group_min_size.value}, r.group_min_size)
            )
        if r.group_leader.value:
            rules.append(self.rule(_("评审组实行组长负责制。"), r.group_leader))
        if r.recusal.value:
            rules.append(self.rule(_("与申报组织有利害关系的评审人员应当回避。"), r.recusal))
        if r.site_report_confirmed_by_applicant.value:
            rules.append(self.rule(_("现场评审报告须经申报组织确认。"), r.site_report_confirmed_by_applicant))
        else:
            rules.append(self.rule(_("现场评审报告无须申报组织确认。"), r.site_report_confirmed_by_applicant))
        if r.site_report_deadline:
            rules.append(
                self.rule(
                    _("现场评审结束后%(period)s内，评审组向%(office)s提交现场评审报告。")
                    % {"period": wording.period(r.site_report_deadline.value), "office": self.office},
                    r.site_report_deadline,
                )
            )
        # Whether the feedback is in writing differs by text (Binjiang 四（四） says so, Lucheng 第十四条（二）
        # does not); the note says which.
        if r.feedback_to_not_shortlisted.value:
            rules.append(
                self.rule(
                    _("未进入现场评审的组织，由%(office)s反馈%(stage)s情况。")
                    % {"office": self.office, "stage": self.document_review_name()},
                    r.feedback_to_not_shortlisted,
                )
            )
        else:
            rules.append(self.rule(_("未进入现场评审的组织，不另行反馈。"), r.feedback_to_not_shortlisted))
        if r.dismissed_reviewer_ban_years:
            rules.append(
                self.rule(
                    _("被取消评审资格的评审员，%(years)s内不得聘用。")
                    % {"years": wording.years(r.dismissed_reviewer_ban_years.value)},
                    r.dismissed_reviewer_ban_years,
                )
            )
        return rules

    def shortlist(self) -> list[Rule]:
        s = self.p.shortlist
        if s.rule.value == "cap_ratio_of_total_quota" and s.ratio:
            rules = [
                self.rule(
                    _("入围现场评审的组织不超过各奖项名额总数的%(ratio)s倍。") % {"ratio": wording.number(s.ratio.value)},
                    s.rule,
                )
            ]
            if s.ratio.cite != s.rule.cite or s.ratio.note_zh:
                rules.append(self.rule(_("入围倍数：%(ratio)s倍。") % {"ratio": wording.number(s.ratio.value)}, s.ratio))
            return rules
        # Who draws the list and on what principle differs (Keqiao 第十六条 好中选优, Daqing 第十四条 the agency
        # proposes); the sentence claims neither, the note quotes the text.
        return [self.rule(_("%(stage)s后确定进入现场评审的组织名单，不设固定入围比例。") % {"stage": self.document_review_name()}, s.rule)]

    def scoring(self, criteria: CriteriaDoc | None) -> list[Rule]:
        s = self.p.scoring
        name = (criteria.name_en if self.en else criteria.name_zh) if criteria else s.criteria.value
        rules = [
            self.rule(_("评价依据：%(name)s。") % {"name": name}, s.criteria),
            self.rule(_("满分%(n)s分。") % {"n": s.total_points.value}, s.total_points),
            self.rule(
                _("综合评分 = 资料评审得分 × %(document)s + 现场评审得分 × %(site)s。")
                % {"document": wording.percent(s.weights.value.document), "site": wording.percent(s.weights.value.site)},
                s.weights,
            ),
        ]
        for award in self.p.awards:
            name = self.award_name(award)
            if award.floors.total:
                rules.append(
                    self.rule(
                        _("%(award)s：总分不低于%(points)s分。") % {"award": name, "points": wording.number(award.floors.total.value)},
                        award.floors.total,
                    )
                )
            if award.floors.site:
                rules.append(
                    self.rule(
                        _("%(award)s：现场评审得分不低于%(points)s分。")
                        % {"award": name, "points": wording.number(award.floors.site.value)},
                        award.floors.site,
                    )
                )
        lower = self.lower_tier_names()
        has_floors = any(a.floors.total or a.floors.site for a in self.p.awards)
        if lower and has_floors:
            if s.floors_apply_to_lower_tier.value:
                text = _("分数线同样适用于%(awards)s。") % {"awards": lower}
            else:
                text = _("分数线不适用于%(awards)s。") % {"awards": lower}
            rules.append(self.rule(text, s.floors_apply_to_lower_tier))
        return rules
