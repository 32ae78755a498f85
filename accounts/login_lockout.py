"""Failed-login lockout for every login (the tenant pages, the site login and /admin/), by django-axes.

Five failures for one username *from one client address* lock that pair (AXES_LOCKOUT_PARAMETERS),
so nobody can lock the office out from anywhere by typing its username five times. A client address
also gets a larger allowance across all usernames (LOGIN_FAILURE_ADDRESS_LIMIT: a whole office may
share one address behind its proxy), which stops a run of guesses through many usernames. Failures
are AccessAttempt rows in the database (visible in the admin), and count within the cool-off window.
The client address is read through the trusted proxies configured in settings (see
docs/security.md): behind the documented reverse proxy, REMOTE_ADDR is the proxy itself.
"""

from __future__ import annotations

import math

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _


def lockout_message() -> str:
    minutes = math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)
    return _("登录失败次数过多，请%(minutes)d分钟后再试。") % {"minutes": minutes}


def address_failures(address: str | None) -> int:
    if not address:
        return 0
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    total = AccessAttempt.objects.filter(ip_address=address, attempt_time__gte=since).aggregate(
        n=Sum("failures_since_start"))["n"]
    return total or 0


class PairAndAddressHandler(AxesDatabaseHandler):
    """Axes' database handler, plus the per-address allowance across usernames."""

    def is_locked(self, request, credentials: dict | None = None) -> bool:
        if super().is_locked(request, credentials):
            return True
        address = getattr(request, "axes_ip_address", None) or get_client_ip_address(request)
        return address_failures(address) >= settings.LOGIN_FAILURE_ADDRESS_LIMIT


def lockout_response(request: HttpRequest, original_response=None, credentials: dict | None = None) -> HttpResponse:
    """What a login refused by the lock shows where no form of ours renders it (the admin login)."""
    return render(request, "accounts/locked.html", {"message": lockout_message()}, status=429)
