from django.http import HttpRequest

from .access import roles_in


def tenant(request: HttpRequest) -> dict:
    jurisdiction = getattr(request, "jurisdiction", None)
    user = getattr(request, "user", None)
    roles = roles_in(user, jurisdiction) if (jurisdiction and user is not None) else set()
    return {"jurisdiction": jurisdiction, "tenant_roles": roles}
