from django.http import HttpRequest

from .access import roles_in
from .notifications import unread_count


def tenant(request: HttpRequest) -> dict:
    jurisdiction = getattr(request, "jurisdiction", None)
    user = getattr(request, "user", None)
    roles = roles_in(user, jurisdiction) if (jurisdiction and user is not None) else set()
    unread = 0
    if jurisdiction and user is not None and user.is_authenticated:
        unread = unread_count(user, jurisdiction)
    return {"jurisdiction": jurisdiction, "tenant_roles": roles, "unread_notifications": unread}
