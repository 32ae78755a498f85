"""Sentences on how winners are decided and what follows: vote, publicity, objections, approval, bans,
duties after the award and records."""

from __future__ import annotations

from django.utils.translation import gettext as _

from . import post_award_wording
from . import rules_wording as wording
from .profile_schema import Ban
from .rules_wording import Rule, Sentences


class DecisionSentences(Sentences):
    def vote(self) -> list[Rule]:
        v = self.p.vote
        rules = []
        if v.method.value == "deliberation":
            rules.append(self.rule(_("%(body)s以会议联评（集体审议）方式确定拟授奖名单。") % {"body": self.committee}, v.method))
        else:
            rules.append(self.rule(_("%(body)s以无记名投票方式表决确定拟授奖名单。") % {"body": self.committee}, v.method))
        if v.chair_zh:
            rules.append(self.rule(_("表决会议由%(chair)s组织召开。") % {"chair": v.chair_zh.value}, v.chair_zh))
        if v.quorum.value is None:
            rules.append(self.rule(_("未规定到会人数要求。"), v.quorum))
        else:
            rules.append(
                self.rule(
                    _("须有%(share)s的委员到会，表决方为有效。") % {"share": wording.threshold(v.quorum.value)},
                    v.quorum,
                )
            )
        basis_labels = {"present": _("到会委员"), "valid_votes": _("有效票"), "members": _("全体委员")}
        if v.majority:
            share = wording.threshold(v.majority.value)
            if v.majority_basis:
                basis = basis_labels[v.majority_basis.value]
                text = _("候选组织须获得%(basis)s%(share)s的赞成票，方可当选。") % {"basis": basis, "share": share}
            else:
                text = _("候选组织须获得%(share)s的赞成票，方可当选。") % {"share": share}
            rules.append(self.rule(text, v.majority))
            if v.majority_basis and v.majority_basis.cite != v.majority.cite:
                rules.append(self.rule(_("计票基数：%(basis)s。") % {"basis": basis}, v.majority_basis))
        elif v.majority_basis:
            rules.append(
                self.rule(_("计票基数：%(basis)s。") % {"basis": basis_labels[v.majority_basis.value]}, v.majority_basis)
            )
        if v.ranking.value == "by_votes":
            rules.append(self.rule(_("按得票多少排序，在名额内确定获奖组织。"), v.ranking))
        elif v.method.value == "deliberation":
            # A deliberating body decides the list itself (Daqing 第十七条); the score order only informs it.
            rules.append(self.rule(_("推荐获奖名单按综合评分高低排列，提交%(body)s审议。") % {"body": self.committee}, v.ranking))
        else:
            rules.append(self.rule(_("按综合评分高低排序，在名额内确定获奖组织。"), v.ranking))
        tie = {
            "comprehensive_score": _("排序相同时，按综合评分高低确定。"),
            "revote": _("排序相同时，重新投票。"),
            "committee_decides": _("排序相同时，由%(body)s研究确定。") % {"body": self.committee},
        }
        rules.append(self.rule(tie[v.tie_break.value], v.tie_break))
        lower_tiers = [(a, a.lower_tier_of) for a in self.p.awards if a.lower_tier_of]
        if v.cascade_to_lower_tier.value and lower_tiers:
            for award, parent in lower_tiers:
                names = {"parent": self.award_name(self.p.award(parent)), "award": self.award_name(award)}
                if v.method.value == "deliberation":
                    text = _("未列入%(parent)s拟授奖名单的推荐组织，可转入%(award)s审议。") % names
                else:
                    text = _("参加%(parent)s表决未当选的组织，转入%(award)s表决。") % names
                rules.append(self.rule(text, v.cascade_to_lower_tier))
        elif v.cascade_to_lower_tier.value:
            rules.append(self.rule(_("表决未当选的组织，转入下一档奖项表决。"), v.cascade_to_lower_tier))
        else:
            rules.append(self.rule(_("表决未当选的组织，不转入其他奖项表决。"), v.cascade_to_lower_tier))
        return rules

    def publicity(self) -> list[Rule]:
        pub = self.p.publicity
        rules = [
            self.rule(_("公示期为%(period)s。") % {"period": wording.period(pub.period.value)}, pub.period),
            self.rule(_("公示渠道：%(media)s。") % {"media": wording.clause(pub.media_zh.value)}, pub.media_zh),
            self.rule(
                _("公示期间反映的问题经调查核实后，调查报告提交%(body)s。")
                % {"body": wording.clause(pub.investigation_report_to_zh.value)},
                pub.investigation_report_to_zh,
            ),
        ]
        if pub.confirmed_violation_disqualifies.value:
            rules.append(
                self.rule(_("公示期间反映的违法违规问题经查证属实的，取消其获奖资格。"), pub.confirmed_violation_disqualifies)
            )
        return rules

    def objections(self) -> list[Rule]:
        o = self.p.objections
        # Not "during the publicity period": Daqing 第二十条 sets no window; where a text ties objections to the
        # notice, the note says so.
        rules = [self.rule(_("%(who)s可以提出异议。") % {"who": wording.clause(o.accepted_from_zh.value)}, o.accepted_from_zh)]
        if o.real_name_required.value:
            rules.append(self.rule(_("异议应当以实名提出。"), o.real_name_required))
        else:
            rules.append(self.rule(_("异议无须实名。"), o.real_name_required))
        if o.anonymous_accepted.value:
            rules.append(self.rule(_("匿名异议也予受理。"), o.anonymous_accepted))
        else:
            rules.append(self.rule(_("匿名异议不予受理。"), o.anonymous_accepted))
        if o.person_requires.value:
            rules.append(
                self.rule(
                    _("个人提出异议的，须写明：%(fields)s。") % {"fields": wording.labels(o.person_requires.value, wording.PERSON_FIELDS)},
                    o.person_requires,
                )
            )
        if o.organization_requires.value:
            rules.append(
                self.rule(
                    _("单位提出异议的，须写明：%(fields)s。")
                    % {"fields": wording.labels(o.organization_requires.value, wording.ORGANIZATION_FIELDS)},
                    o.organization_requires,
                )
            )
        if o.evidence_required.value:
            rules.append(self.rule(_("异议应当以书面形式提出，并提供必要的证明材料。"), o.evidence_required))
        else:
            rules.append(self.rule(_("异议无须提供证明材料。"), o.evidence_required))
        rules.append(
            self.rule(
                _("%(office)s在收到书面异议材料后%(period)s内进行受理审查。")
                % {"office": self.office, "period": wording.period(o.acceptance_decision_within.value)},
                o.acceptance_decision_within,
            )
        )
        if o.written_receipt.value:
            rules.append(self.rule(_("受理异议的，出具书面凭证。"), o.written_receipt))
        if o.candidate_silence_admits.value:
            rules.append(
                self.rule(_("被异议的候选组织在规定时间内未按要求提供证明材料的，视为承认异议内容。"), o.candidate_silence_admits)
            )
        else:
            rules.append(
                self.rule(_("被异议的候选组织在规定时间内未提供证明材料的，不因此视为承认异议内容。"), o.candidate_silence_admits)
            )
        if o.objector_silence_withdraws.value:
            rules.append(
                self.rule(_("提出异议的单位或个人在规定时间内未按要求提供证明材料的，视为放弃异议。"), o.objector_silence_withdraws)
            )
        else:
            rules.append(
                self.rule(_("提出异议的单位或个人在规定时间内未提供证明材料的，不因此视为放弃异议。"), o.objector_silence_withdraws)
            )
        # Only some texts say the parties are told the outcome (Daqing 第二十四条); the note says where.
        rules.append(
            self.rule(_("异议的调查核实情况由%(body)s审查。") % {"body": wording.clause(o.decided_by_zh.value)}, o.decided_by_zh)
        )
        return rules

    def approval(self) -> list[Rule]:
        a = self.p.approval
        approver = a.approver_zh.value
        if self.en and approver == self.p.bodies.approver_zh.value:
            approver = self.p.bodies.approver_en.value
        return [
            self.rule(_("拟授奖名单报%(approver)s审定批准。") % {"approver": approver}, a.approver_zh),
            self.rule(_("获奖名单由%(body)s公布。") % {"body": wording.clause(a.announced_by_zh.value)}, a.announced_by_zh),
        ]

    def bans(self) -> list[Rule]:
        starts = {"revocation_date": _("自撤销之日起计算"), "award_year": _("自获奖年度起计算")}
        rules = []
        for ban in self.p.bans:
            rules.append(
                self.rule(
                    _("%(text)s（期限%(period)s，%(start)s）。")
                    % {
                        "text": wording.clause(ban.text_en if self.en else ban.text_zh),
                        "period": wording.period(ban.period.value),
                        "start": self._ban_start(ban, starts),
                    },
                    ban.period,
                )
            )
            if ban.discretionary and ban.discretionary.value:
                rules.append(self.rule(_("上述限制仅适用于认定情节严重的情形。"), ban.discretionary))
        return rules

    @staticmethod
    def _ban_start(ban: Ban, starts: dict[str, str]) -> str:
        # Fraud found before an award is a disqualification, not a revocation (Daqing 第三十一条: 尚未授奖的).
        triggers = ban.triggered_by.value if ban.triggered_by else []
        if ban.counted_from == "revocation_date" and "disqualification" in triggers:
            return _("自撤销奖励或取消评选资格之日起计算")
        return starts[ban.counted_from]

    def post_award(self) -> list[Rule]:
        pa = self.p.post_award
        rules = []
        if pa.annual_self_assessment_years:
            rules.append(
                self.rule(
                    _("获奖组织须连续%(years)s每年向%(office)s提交自我评价报告。")
                    % {"years": wording.years(pa.annual_self_assessment_years.value), "office": self.office},
                    pa.annual_self_assessment_years,
                )
            )
        if pa.annual_self_assessment_due_zh:
            rules.append(
                self.rule(
                    _("自我评价报告提交时间：%(due)s。") % {"due": wording.clause(pa.annual_self_assessment_due_zh.value)},
                    pa.annual_self_assessment_due_zh,
                )
            )
        if pa.annual_self_assessment_due:
            due = pa.annual_self_assessment_due.value
            rules.append(
                self.rule(
                    _("本系统按每年%(month)s月%(day)s日之前（不含当日）计算报送期限，逾期未报送的列入逾期名单。")
                    % {"month": due.before_month, "day": due.before_day},
                    pa.annual_self_assessment_due,
                )
            )
        if pa.incident_report_within:
            rules.append(
                self.rule(
                    _("获奖组织发生办法规定须报告的情形的，应在情况发生后%(period)s内书面报告%(office)s。")
                    % {"period": wording.period(pa.incident_report_within.value), "office": self.office},
                    pa.incident_report_within,
                )
            )
        if pa.incident_triggers:
            items = [t.text_en if wording.english() else t.text_zh for t in pa.incident_triggers.value]
            rules.append(
                self.rule(_("须报告的情形：%(items)s。") % {"items": ("; " if wording.english() else "；").join(items)},
                          pa.incident_triggers)
            )
        if pa.revocation_window:
            rules.append(
                self.rule(
                    # Whether revocation is mandatory (Daqing 第三十二条 撤销奖励) or discretionary (Zhuji 第十八条 可报请)
                    # and for which incidents is the text's own, quoted in the next sentence; this one states the window.
                    _("撤销规定适用于获奖后%(period)s内发生的情形。")
                    % {"period": wording.period(pa.revocation_window.value)},
                    pa.revocation_window,
                )
            )
        if pa.incident_consequences_zh:
            rules.append(
                self.rule(
                    _("获奖后发生事故或其他问题的处理：%(text)s。") % {"text": wording.clause(pa.incident_consequences_zh.value)},
                    pa.incident_consequences_zh,
                )
            )
        rules.append(self.rule(_("荣誉称号的使用：%(text)s。") % {"text": wording.clause(pa.title_use_zh.value)}, pa.title_use_zh))
        if pa.title_correction_by_zh:
            rules.append(self.rule(_("违反称号使用规定的，由%(body)s责令限期改正。") % {"body": pa.title_correction_by_zh.value},
                                   pa.title_correction_by_zh))
        rules.append(
            self.rule(_("弄虚作假的后果：%(text)s。") % {"text": wording.clause(pa.fraud_consequences_zh.value)}, pa.fraud_consequences_zh)
        )
        return rules + self.sanctions()

    def sanctions(self) -> list[Rule]:
        pa = self.p.post_award
        en = wording.english()
        ladder = wording.join(post_award_wording.names(pa.sanction_ladder.value, post_award_wording.WINNER_SANCTIONS))
        rules = [self.rule(_("对获奖组织的处理措施（由轻到重）：%(ladder)s。") % {"ladder": ladder}, pa.sanction_ladder)]
        for cited in pa.revocation_grounds:
            g = cited.value
            parts = {
                "ground": g.text_en if en else g.text_zh,
                "proposer": g.proposed_by_en if en else g.proposed_by_zh,
                "approver": g.approved_by_en if en else g.approved_by_zh,
                "recover": wording.join(post_award_wording.names(g.recover, post_award_wording.RECOVERABLE)),
            }
            text = (_("%(ground)s：由%(proposer)s、经%(approver)s批准撤销，收回%(recover)s") if g.mandatory
                    else _("%(ground)s：可由%(proposer)s、经%(approver)s批准撤销，收回%(recover)s")) % parts
            if g.within:
                text += _("（限获奖后%(period)s内发生的）") % {"period": wording.period(g.within)}
            if g.publication:
                text += _("；%(how)s") % {"how": wording.join(post_award_wording.names(g.publication, post_award_wording.PUBLICATIONS))}
            if g.blacklist:
                text += _("；记入诚信黑名单")
            if g.serious_finding:
                text += _("；撤销决定须认定是否情节严重")
            rules.append(self.rule(_("%(sentence)s。") % {"sentence": text}, cited))
        if pa.blacklist and pa.blacklist.value:
            rules.append(self.rule(_("弄虚作假的组织和违规违纪的评审机构记入诚信黑名单；组织申报或选定评审机构时向工作人员提示。"),
                                   pa.blacklist))
        if pa.reviewer_sanctions:
            names = wording.join(post_award_wording.names(pa.reviewer_sanctions.value, post_award_wording.REVIEWER_SANCTIONS))
            rules.append(self.rule(_("违反评审纪律的评审员，视情节轻重予以%(names)s。") % {"names": names}, pa.reviewer_sanctions))
        if pa.reviewer_rehire_ban:
            rules.append(self.rule(_("被取消评审资格的评审员，%(period)s内不得聘用。")
                                   % {"period": wording.period(pa.reviewer_rehire_ban.value)}, pa.reviewer_rehire_ban))
        if pa.staff_recusal and pa.staff_recusal.value:
            rules.append(self.rule(_("工作人员与申报组织有利害关系的，同样应当申明并回避。"), pa.staff_recusal))
        return rules

    def records(self) -> list[Rule]:
        years = self.p.records.retention_years
        return [self.rule(_("评审档案保存%(years)s。") % {"years": wording.years(years.value)}, years)]
