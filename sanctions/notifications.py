"""The winner's accounts hear that its award was revoked, once per revocation."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import override
from django_scopes import scopes_disabled

from jurisdictions.models import Notification
from jurisdictions.notifications import notify
from jurisdictions.post_award_wording import GROUNDS
from jurisdictions.rules_wording import cite_label

from .models import Revocation


def notify_revoked(revocation_id: int) -> None:
    with scopes_disabled():
        revocation = (Revocation.objects.select_related("application__organization", "application__cycle",
                                                        "jurisdiction")
                      .filter(pk=revocation_id, state=Revocation.State.APPROVED).first())
        if revocation is None:
            return
        app = revocation.application
        users = list(app.organization.users.filter(is_active=True))
        with override("zh-hans"):
            notify(users, revocation.jurisdiction, kind=Notification.Kind.RESULT, key=f"revocation:{revocation.pk}",
                   title=_("奖项已撤销：%(cycle)s") % {"cycle": app.cycle.title},
                   body=_("经%(body)s批准（%(number)s，%(on)s），以“%(ground)s”撤销%(org)s的%(year)s年度奖项（%(cite)s）。"
                          "请按%(office)s的通知退回奖牌、证书等。") % {
                       "body": revocation.approving_body, "number": revocation.document_number,
                       "on": revocation.approved_on.isoformat() if revocation.approved_on else "",
                       "ground": GROUNDS[revocation.ground], "org": app.organization.name, "year": app.cycle.year,
                       "cite": cite_label(revocation.cite), "office": revocation.jurisdiction.office_short_zh},
                   link=reverse("applicant-home", kwargs={"jurisdiction": revocation.jurisdiction.slug}))
