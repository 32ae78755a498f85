"""Where each page sits: the breadcrumb trail every inner page shows above its heading.

One map from a URL name to the page's label and its parent page; base.html renders the trail of
the page being served (jurisdictions/templatetags/navigation.py), so no view or template has to
build it. URL names are plain strings here: this module knows the pages of every app without
importing any of them. A parent that needs a value the URL does not carry (an application's year)
reads it from the page's context; when the context lacks it, that step is left out and the trail
goes on from the step above, so a trail never links to a page that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

Context = Mapping[str, Any]
KwargsOf = Callable[[Context, dict[str, Any]], dict[str, Any]]
LabelOf = Callable[[Context], Any]


@dataclass(frozen=True)
class Crumb:
    label: Any  # a lazy string, or a function of the page's context
    parent: str = ""
    # The URL keyword arguments (besides the jurisdiction) passed on to the parent, or a function
    # building them from the page's context and its own URL kwargs.
    keep: tuple[str, ...] | KwargsOf = ()


def _year_of(name: str) -> KwargsOf:
    """The parent's year, read from the context object `name` (an application or a cycle)."""

    def build(context: Context, _kwargs: dict[str, Any]) -> dict[str, Any]:
        obj = context[name]
        cycle = getattr(obj, "cycle", obj)
        if cycle is None:
            raise KeyError(name)
        return {"year": cycle.year}

    return build


def _from(name: str, attribute: str, kwarg: str) -> KwargsOf:
    def build(context: Context, _kwargs: dict[str, Any]) -> dict[str, Any]:
        return {kwarg: getattr(context[name], attribute)}

    return build


def _title_of(name: str, fallback: Any) -> LabelOf:
    def label(context: Context) -> Any:
        obj = context.get(name)
        return getattr(obj, "title", None) or fallback

    return label


ROLE_HOMES = {
    "office-home": _("评审办工作台"),
    "applicant-home": _("申报组织工作台"),
    "reviewer-home": _("评审员工作台"),
    "committee-home": _("评委会委员工作台"),
}

CRUMBS: dict[str, Crumb] = {
    # The jurisdiction's public pages.
    "tenant-home": Crumb(lambda context: context["jurisdiction"].award_name),
    "rules": Crumb(_("评审规则"), "tenant-home"),
    "rules-changes": Crumb(_("规则修订对照"), "rules"),
    "cycle-call": Crumb(_title_of("cycle", _("申报通知")), "tenant-home"),
    "register": Crumb(_("注册申报账号"), "tenant-home"),
    "login": Crumb(_("登录"), "tenant-home"),
    "password_reset": Crumb(_("找回密码"), "login"),
    "password_reset_done": Crumb(_("找回密码"), "login"),
    "password_reset_confirm": Crumb(_("设置新密码"), "login"),
    "password_reset_complete": Crumb(_("设置新密码"), "login"),
    "publicity": Crumb(_("公示"), "tenant-home"),
    "publicity-lookup": Crumb(_("查询异议办理情况"), "publicity"),
    "publicity-notice": Crumb(_("公示详情"), "publicity"),
    "publicity-object": Crumb(_("提出异议"), "publicity-notice", ("notice_id",)),
    "winners-archive": Crumb(_("历届获奖组织"), "tenant-home"),
    "winners": Crumb(_("获奖组织名单"), "winners-archive"),
    # Anyone signed in.
    "after-login": Crumb(_("我的工作台")),
    "password_change": Crumb(_("修改密码"), "after-login"),
    "password_change_done": Crumb(_("修改密码"), "after-login"),
    "notifications": Crumb(_("通知"), "after-login"),
    # Role homes: where each trail below starts.
    **{name: Crumb(label) for name, label in ROLE_HOMES.items()},
    # Applicant.
    "applicant-dashboard": Crumb(_("我的申报"), "applicant-home"),
    "org-record": Crumb(_("组织信息"), "applicant-home"),
    "application-edit": Crumb(_("申报书"), "applicant-dashboard"),
    "application-submit": Crumb(_("核对并提交"), "application-edit", ("pk",)),
    "application-withdraw": Crumb(_("撤回申报"), "application-edit", ("pk",)),
    "application-upload": Crumb(_("上传申报材料"), "application-edit", ("pk",)),
    "applicant-site-report": Crumb(_("现场评审报告"), "application-edit", ("pk",)),
    "duties-home": Crumb(_("获奖后义务"), "applicant-home"),
    "duty-self-assessment": Crumb(_("年度自我评价报告"), "duties-home"),
    "duty-incident": Crumb(_("报告情况"), "duties-home"),
    "duty-incident-file": Crumb(_("情况报告附件"), "duties-home"),
    # Office.
    "office-cycles": Crumb(_("评审年度与申报审查"), "office-home"),
    "office-cycle": Crumb(_title_of("cycle", _("评审年度")), "office-cycles"),
    "office-application": Crumb(_("申报审查"), "office-cycle", _year_of("app")),
    "office-application-decide": Crumb(_("资格审查决定"), "office-cycle", _year_of("app")),
    "office-calendar": Crumb(_("工作日历"), "office-home"),
    "office-review": Crumb(_("评审工作"), "office-cycle", ("year",)),
    "office-review-groups": Crumb(_("评审机构与评审组"), "office-review", ("year",)),
    "office-review-agency-reviewers": Crumb(_("评审机构的评审员"), "office-review-groups", ("year",)),
    "office-review-add-member": Crumb(_("增加评审组成员"), "office-review-groups", ("year",)),
    "office-review-assignments": Crumb(_("评审分配"), "office-review", ("year",)),
    "office-review-shortlist": Crumb(_("资料评审与入围"), "office-review", ("year",)),
    "office-review-site": Crumb(_("现场评审"), "office-review", ("year",)),
    "office-review-site-schedule": Crumb(_("安排现场评审"), "office-review-site", ("year",)),
    "office-review-site-dispute": Crumb(_("现场评审报告异议"), "office-review-site", ("year",)),
    "office-review-evaluation": Crumb(_("综合评价与候选名单"), "office-review", ("year",)),
    "office-review-stage-reopen": Crumb(_("重新开放评审阶段"), "office-review", ("year",)),
    "office-committee-roster": Crumb(_("评委会名册"), "office-home"),
    "office-committee": Crumb(_("评委会"), "office-cycle", ("year",)),
    "office-committee-meeting": Crumb(_("评委会会议"), "office-committee", _year_of("meeting")),
    "office-committee-minutes": Crumb(_("会议纪要"), "office-committee-meeting", ("meeting_id",)),
    "office-committee-attendance": Crumb(_("出席情况"), "office-committee-meeting", ("meeting_id",)),
    "office-committee-pre-review": Crumb(_("会前审查"), "office-committee-meeting", ("meeting_id",)),
    "office-committee-deliberation": Crumb(_("审议结果"), "office-committee-meeting", ("meeting_id",)),
    "office-committee-round": Crumb(_("投票轮次"), "office-committee-meeting",
                                    _from("round", "meeting_id", "meeting_id")),
    "office-committee-paper": Crumb(_("录入纸质选票"), "office-committee-round", ("round_id",)),
    "office-committee-tie": Crumb(_("同票处理"), "office-committee-round", ("round_id",)),
    "office-reviewer-pool": Crumb(_("评审专家库"), "office-home"),
    "office-reviewer-sanctions": Crumb(_("评审员违纪处理"), "office-home"),
    "office-records": Crumb(_("评审档案"), "office-home"),
    "office-records-export": Crumb(_("导出评审档案"), "office-records"),
    "office-records-download": Crumb(_("下载评审档案"), "office-records"),
    "office-records-staff-conflict": Crumb(_("工作人员利害关系申报"), "office-records"),
    "office-honours": Crumb(_("授奖与证书"), "office-home"),
    "office-honours-cycle": Crumb(_("授奖与证书"), "office-honours"),
    "office-certificate-revoke": Crumb(_("撤销证书"), "office-honours"),
    "office-publicity": Crumb(_("公示与异议"), "office-home"),
    "office-sanctions": Crumb(_("获奖后管理"), "office-home"),
    "office-sanctions-winner": Crumb(lambda context: getattr(getattr(context.get("app"), "organization", None), "name",
                                                             None) or _("获奖组织"), "office-sanctions"),
    "office-sanctions-revocation": Crumb(_("撤销程序"), "office-sanctions-winner",
                                         _from("record", "application_id", "application_id")),
    "office-blacklist": Crumb(_("诚信黑名单"), "office-sanctions"),
    "office-objection": Crumb(_("异议办理"), "office-publicity"),
    "office-duties": Crumb(_("获奖组织的义务"), "office-home"),
    "office-duty-spot-check": Crumb(_("抽查自我评价报告"), "office-duties"),
    "office-duty-order-new": Crumb(_("责令限期改正"), "office-duties"),
    "office-duty-order": Crumb(_("责令限期改正"), "office-duties"),
    # Reviewer.
    "reviewer-applications": Crumb(_("我的评审任务"), "reviewer-home"),
    "reviewer-affiliations": Crumb(_("利害关系申报"), "reviewer-home"),
    "reviewer-attest": Crumb(_("利害关系回避声明"), "reviewer-applications"),
    "reviewer-score": Crumb(_("评分"), "reviewer-applications"),
    "reviewer-consensus": Crumb(_("共识评分"), "reviewer-applications"),
    "reviewer-consensus-reopen": Crumb(_("重新开放评分表"), "reviewer-consensus", ("pk", "stage")),
    "reviewer-site-report-list": Crumb(_("现场评审报告"), "reviewer-home"),
    "reviewer-site-report-write": Crumb(_("撰写现场评审报告"), "reviewer-site-report-list"),
    # Committee member.
    "committee-meetings": Crumb(_("评委会会议与投票"), "committee-home"),
    "committee-dossier": Crumb(_("会议材料"), "committee-meetings"),
    "committee-ballot": Crumb(_("投票"), "committee-meetings"),
}


@dataclass(frozen=True)
class Step:
    label: str
    url: str


def _label(crumb: Crumb, context: Context) -> str:
    label = crumb.label(context) if callable(crumb.label) else crumb.label
    return str(label)


def trail(url_name: str, kwargs: dict[str, Any], context: Context) -> list[Step]:
    """The steps above the page `url_name` (served with `kwargs`), outermost first, then the page
    itself with an empty url. Empty for a page with no parent (a home) or not on the map."""
    crumb = CRUMBS.get(url_name)
    if crumb is None or not crumb.parent:
        return []
    jurisdiction = kwargs.get("jurisdiction")
    steps = [Step(_label(crumb, context), "")]
    current, current_kwargs = crumb, dict(kwargs)
    while current.parent:
        name = current.parent
        parent = CRUMBS[name]
        try:
            if callable(current.keep):
                passed = current.keep(context, current_kwargs)
            else:
                passed = {key: current_kwargs[key] for key in current.keep}
            url_kwargs = {**({"jurisdiction": jurisdiction} if jurisdiction else {}), **passed}
            url = reverse(name, kwargs=url_kwargs)
        except (KeyError, AttributeError, NoReverseMatch):
            # The context cannot name the parent: go on from the step above it.
            current = Crumb(current.label, parent.parent, ())
            continue
        steps.append(Step(_label(parent, context), url))
        current, current_kwargs = parent, passed
    return list(reversed(steps))
