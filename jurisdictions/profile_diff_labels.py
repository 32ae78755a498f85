"""What a reader sees for each part of a rule profile when two versions are compared.

Every section and field of the schema (profile_schema.py) has a Chinese label (the msgid; English
comes from the catalogue), and the schema's coded values read as words, so a list of changes never
shows a JSON path or a code. tests/jurisdictions/test_profile_diff.py checks that every field of the
schema has a label here: a new key gets one when it is added.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from django.utils.translation import gettext_noop, pgettext_lazy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

from .fact_vocabulary import FACTS
from .rules_wording import HONOURS, ORGANIZATION_FIELDS, PERSON_FIELDS, RECOMMENDERS

# The top-level keys of a profile, in the order the rules page shows them.
SECTIONS: dict[str, StrOrPromise] = {
    "version": gettext_noop("版本"),
    "effective_from": gettext_noop("生效日期"),
    "regulation": gettext_noop("依据文件"),
    "bodies": gettext_noop("组织机构"),
    "cycle": gettext_noop("评选周期"),
    "awards": gettext_noop("奖项与名额"),
    "quota_rules": gettext_noop("名额与奖金规则"),
    "higher_honours": gettext_noop("获得上级荣誉的奖励"),
    "eligibility": gettext_noop("申报条件"),
    "bans": gettext_noop("禁止申报情形"),
    "stages": gettext_noop("评审程序"),
    "review": gettext_noop("评审组与回避"),
    "shortlist": pgettext_lazy("rules page section", "入围现场评审"),
    "scoring": gettext_noop("评分与权重"),
    "vote": gettext_noop("表决规则"),
    "publicity": gettext_noop("公示"),
    "objections": gettext_noop("异议处理"),
    "approval": gettext_noop("审定批准"),
    "post_award": gettext_noop("获奖后义务"),
    "records": gettext_noop("档案保存"),
}

# Identity and bookkeeping keys: a list item is matched by its code, and these never differ in meaning.
UNLABELLED = frozenset({"code", "schema_version", "jurisdiction"})

FIELDS: dict[str, str] = {
    # Cited
    "value": gettext_noop("规定"),
    "cite": gettext_noop("出处"),
    "note_zh": gettext_noop("说明"),
    "note_en": gettext_noop("说明（英文）"),
    # Regulation
    "title_zh": gettext_noop("文件名称"),
    "title_en": gettext_noop("文件名称（英文）"),
    "document_number": gettext_noop("文号"),
    "issued_by_zh": gettext_noop("发文机关"),
    "issued_on": gettext_noop("发布日期"),
    "status": gettext_noop("文件状态"),
    "seed_file": gettext_noop("原文文件"),
    # Bodies
    "committee_zh": gettext_noop("评审委员会"),
    "committee_en": gettext_noop("评审委员会（英文）"),
    "office_zh": gettext_noop("评审办公室"),
    "office_short_zh": gettext_noop("评审办公室简称"),
    "office_en": gettext_noop("评审办公室（英文）"),
    "approver_zh": gettext_noop("审定机关"),
    "approver_en": gettext_noop("审定机关（英文）"),
    "supervisor_zh": gettext_noop("监督机构"),
    "contact_zh": gettext_noop("联系方式"),
    "contact_en": gettext_noop("联系方式（英文）"),
    "letter_prefix_zh": gettext_noop("发文机关代字"),
    # Awards
    "name_zh": gettext_noop("名称"),
    "name_en": gettext_noop("名称（英文）"),
    "quota": gettext_noop("名额上限"),
    "prize_cny": gettext_noop("奖金"),
    "honours": gettext_noop("荣誉形式"),
    "lower_tier_of": gettext_noop("所属奖项"),
    "floors": gettext_noop("最低分"),
    "total": gettext_noop("综合得分"),
    "site": gettext_noop("现场评审得分"),
    "repeat_win": gettext_noop("再次获得同一奖项"),
    "counts_in_quota": gettext_noop("占用名额"),
    "no_prize_after": gettext_noop("曾获这些奖项的不再发奖金"),
    # Quota rules and higher honours
    "total_cap": gettext_noop("每届获奖总数上限"),
    "may_be_vacant": gettext_noop("名额可以空缺"),
    "prize_cumulative_cap_cny": gettext_noop("累计奖金上限"),
    "same_award_paid_once": gettext_noop("同一奖项奖金只发一次"),
    "upgrade_pays_difference": gettext_noop("升级获奖补发差额"),
    "outside_quota": gettext_noop("不占名额的情形"),
    "bonuses": gettext_noop("奖励标准"),
    "highest_only": gettext_noop("只按最高级别奖励"),
    "level_zh": gettext_noop("荣誉级别"),
    "level_en": gettext_noop("荣誉级别（英文）"),
    "award_amount_cny": gettext_noop("获奖奖励"),
    "nomination_amount_cny": gettext_noop("获提名奖奖励"),
    # Cycle
    "interval_years": gettext_noop("评选间隔（年）"),
    "fees": gettext_noop("收取费用"),
    "one_application_per_cycle": gettext_noop("每届只能申报一项"),
    # Eligibility
    "conditions": gettext_noop("条件"),
    "text_zh": gettext_noop("表述"),
    "text_en": gettext_noop("表述（英文）"),
    "question_zh": gettext_noop("向申报组织提出的问题"),
    "question_en": gettext_noop("向申报组织提出的问题（英文）"),
    "test": gettext_noop("判断方法"),
    "kind": gettext_noop("判断方式"),
    "fact": gettext_noop("依据的情况"),
    "years": gettext_noop("年数"),
    "counting": gettext_noop("计数方式"),
    "counted_to": gettext_noop("计算至"),
    "values": gettext_noop("符合的类别"),
    "recommendation": gettext_noop("推荐"),
    "rule": gettext_noop("方式"),
    "recommenders": gettext_noop("推荐单位"),
    "optional_recommenders": gettext_noop("如有时推荐的单位"),
    "names_zh": gettext_noop("推荐单位的名称"),
    "names_en": gettext_noop("推荐单位的名称（英文）"),
    "via_zh": gettext_noop("推荐途径"),
    "via_en": gettext_noop("推荐途径（英文）"),
    "required_materials": gettext_noop("须提交的材料"),
    "paper_copies": gettext_noop("纸质材料份数"),
    "review_checks_zh": gettext_noop("资格审查内容"),
    "review_checks_en": gettext_noop("资格审查内容（英文）"),
    "return_for_completion": gettext_noop("材料不全的退回补正"),
    "completion_period": gettext_noop("补正期限"),
    "written_reason_on_failure": gettext_noop("不符合条件的书面告知理由"),
    "reconsideration": gettext_noop("资格审查结果的复核"),
    "to_zh": gettext_noop("受理复核的机构"),
    "to_en": gettext_noop("受理复核的机构（英文）"),
    "how_zh": gettext_noop("复核的提出方式"),
    "how_en": gettext_noop("复核的提出方式（英文）"),
    "within": gettext_noop("期限"),
    # Bans
    "trigger": gettext_noop("情形"),
    "award": gettext_noop("奖项"),
    "period": gettext_noop("期限"),
    "counted_from": gettext_noop("起算"),
    "triggered_by": gettext_noop("适用的记录"),
    "discretionary": gettext_noop("仅限认定情节严重的"),
    # Review
    "reviewers": gettext_noop("评审组织方式"),
    "group_min_size": gettext_noop("评审组最少人数"),
    "group_leader": gettext_noop("设评审组组长"),
    "recusal": gettext_noop("回避"),
    "site_report_confirmed_by_applicant": gettext_noop("现场评审报告经申报组织确认"),
    "site_report_deadline": gettext_noop("现场评审报告期限"),
    "reviewer_pool": gettext_noop("评审专家库"),
    "reviewer_qualifications": gettext_noop("评审员资格条件"),
    "min_degree": gettext_noop("最低学历"),
    "senior_title_suffices": gettext_noop("高级职称可代替学历"),
    "min_experience_years": gettext_noop("最少工作年限"),
    "feedback_to_not_shortlisted": gettext_noop("向未入围组织反馈"),
    "dismissed_reviewer_ban_years": gettext_noop("被取消资格的评审员不得再聘年限"),
    # Shortlist and scoring
    "ratio": gettext_noop("比例"),
    "total_points": gettext_noop("满分"),
    "criteria": gettext_noop("评价准则"),
    "weights": gettext_noop("权重"),
    "document": gettext_noop("资料评审"),
    "floors_apply_to_lower_tier": gettext_noop("最低分同样适用于下一级奖项"),
    # Vote
    "method": gettext_noop("表决方式"),
    "chair_zh": gettext_noop("主持人"),
    "quorum": gettext_noop("到会人数要求"),
    "majority_basis": gettext_noop("通过票数的计算基数"),
    "majority": gettext_noop("通过票数"),
    "ranking": gettext_noop("排序方式"),
    "tie_break": gettext_noop("票数相同时"),
    "cascade_to_lower_tier": gettext_noop("未获通过者参加下一级奖项表决"),
    # Publicity and objections
    "media_zh": gettext_noop("公示媒体"),
    "investigation_report_to_zh": gettext_noop("调查结果报送"),
    "confirmed_violation_disqualifies": gettext_noop("查实违规的取消资格"),
    "accepted_from_zh": gettext_noop("可提出异议者"),
    "real_name_required": gettext_noop("须实名"),
    "anonymous_accepted": gettext_noop("受理匿名异议"),
    "person_requires": gettext_noop("个人异议须写明"),
    "organization_requires": gettext_noop("单位异议须写明"),
    "evidence_required": gettext_noop("须附证据"),
    "acceptance_decision_within": gettext_noop("受理决定期限"),
    "evidence_period": gettext_noop("异议调查举证期限"),
    "written_receipt": gettext_noop("出具书面回执"),
    "candidate_silence_admits": gettext_noop("候选组织逾期不说明视为认可"),
    "objector_silence_withdraws": gettext_noop("异议人逾期不补充视为撤回"),
    "decided_by_zh": gettext_noop("处理决定机构"),
    # Approval, post-award, records
    "announced_by_zh": gettext_noop("公布机关"),
    "certificate_issuer_zh": gettext_noop("证书颁发机关"),
    "certificate_issuer_en": gettext_noop("证书颁发机关（英文）"),
    "annual_self_assessment_years": gettext_noop("年度自评年限"),
    "annual_self_assessment_due_zh": gettext_noop("年度自评报送"),
    "incident_report_within": gettext_noop("事故报告期限"),
    "revocation_window": gettext_noop("撤销期限"),
    "title_use_zh": gettext_noop("称号使用"),
    "fraud_consequences_zh": gettext_noop("弄虚作假的后果"),
    "incident_consequences_zh": gettext_noop("获奖后发生事故或违法的后果"),
    "retention_years": gettext_noop("保存年限"),
    # Period and Threshold read as one phrase; their parts are labelled for completeness
    "amount": gettext_noop("数量"),
    "unit": gettext_noop("单位"),
    "numerator": gettext_noop("分子"),
    "denominator": gettext_noop("分母"),
}

# Coded values, by the field that holds them.
VALUES: dict[str, Mapping[str, StrOrPromise]] = {
    "status": {"in_force": gettext_noop("现行有效"), "draft": gettext_noop("征求意见稿"),
               "superseded": gettext_noop("已废止")},
    "counting": {"at_least": gettext_noop("以上（含本数）"), "more_than": gettext_noop("超过（不含本数）")},
    "counted_to": {"applications_close": gettext_noop("申报截止日")},
    "kind": {"fact_true": gettext_noop("须为“是”"), "fact_false": gettext_noop("须为“否”"),
             "min_years": gettext_noop("满规定年限"), "one_of": gettext_noop("属于所列类别"),
             "manual": gettext_noop("由工作人员审查认定")},
    "values": {"primary": gettext_noop("第一产业"), "secondary": gettext_noop("第二产业"),
               "tertiary": gettext_noop("第三产业")},
    "rule": {"none": gettext_noop("无需推荐，直接申报"), "one_of": gettext_noop("由所列单位之一推荐"),
             "all_of": gettext_noop("须经所列单位全部推荐"),
             "cap_ratio_of_total_quota": gettext_noop("按名额总数的比例确定入围数"),
             "office_choice": gettext_noop("由评审办确定入围组织")},
    "required_materials": {"self_assessment": gettext_noop("自评报告"), "recommendation": gettext_noop("推荐材料"),
                           "evidence": gettext_noop("证实性材料")},
    "trigger": {"fraud_revocation": gettext_noop("弄虚作假被撤销荣誉"),
                "incident_revocation": gettext_noop("发生事故或违法被撤销荣誉"),
                "award_won": gettext_noop("已获得奖项")},
    "counted_from": {"revocation_date": gettext_noop("自撤销之日起"), "award_year": gettext_noop("自获奖年度起")},
    "triggered_by": {"revocation": gettext_noop("撤销荣誉"), "disqualification": gettext_noop("取消评选资格")},
    "reviewers": {"review_groups": gettext_noop("组成评审组"), "third_party_agency": gettext_noop("委托第三方机构")},
    "method": {"secret_ballot": gettext_noop("无记名投票"), "deliberation": gettext_noop("会议审议")},
    "majority_basis": {"present": gettext_noop("到会委员"), "valid_votes": gettext_noop("有效票"),
                       "members": gettext_noop("全体委员")},
    "ranking": {"by_votes": gettext_noop("按得票数"), "by_comprehensive_score": gettext_noop("按综合得分")},
    "tie_break": {"comprehensive_score": gettext_noop("按综合得分"), "revote": gettext_noop("重新投票"),
                  "committee_decides": gettext_noop("由评审委员会决定")},
    "honours": HONOURS,
    "recommenders": RECOMMENDERS,
    "optional_recommenders": RECOMMENDERS,
    "names_zh": RECOMMENDERS,
    "names_en": RECOMMENDERS,
    "person_requires": PERSON_FIELDS,
    "organization_requires": ORGANIZATION_FIELDS,
    "fact": {f.name: f.label for f in FACTS},
}
# Fields whose value is an award code of the profile: shown by the award's name.
AWARD_CODE_FIELDS = frozenset({"lower_tier_of", "award", "upgrade_pays_difference"})
