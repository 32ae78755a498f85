"""The words for the post-award vocabulary of a profile (sanctions, what a revocation takes back, how
it is made public), shared by the rules page and the pages that record these decisions."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

WINNER_SANCTIONS = {
    "criticism": _("批评"),
    "warning": _("警告"),
    "public_criticism": _("通报批评"),
    "revocation": _("撤销荣誉称号"),
}
REVIEWER_SANCTIONS = {
    "criticism": _("批评"),
    "warning": _("警告"),
    "disqualification": _("取消评审资格"),
}
RECOVERABLE = {
    "plaque": _("奖牌"),
    "trophy": _("奖杯"),
    "certificate": _("证书"),
    "prize": _("奖金"),
}
PUBLICATIONS = {
    "media_exposure": _("在主要媒体上曝光"),
    "announcement": _("公告"),
    "public_circular": _("公开通报"),
    "circular_criticism": _("通报批评"),
    "credit_record": _("记入信用档案并披露"),
}
GROUNDS = {
    "fraud": _("弄虚作假"),
    "incident": _("发生事故或违法违规"),
}


def names(codes, vocabulary) -> list[str]:
    return [str(vocabulary[c]) for c in codes]
