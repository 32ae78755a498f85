"""A site score as the evaluation accepts it: the group's total, and where the profile asks for it
(Keqiao 第十七条, Binjiang 四（五）, Lucheng 第十四条（三）) a report the applicant has confirmed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from awards.models import Application
from reviews import scoring, site
from reviews.models import Stage


def confirmed_site_score(app: Application, total: Decimal | str | int, office) -> None:
    scoring.record_group_total(app, Stage.SITE, Decimal(str(total)), office)
    if site.confirmation_required(app.cycle):
        visit_on = app.cycle.close_date + dt.timedelta(days=20)
        site.record_given_report(app, starts_on=visit_on, ends_on=visit_on, report="现场评审报告", actor=office)
        site.respond(app, app.organization.users.first(), confirm=True)
