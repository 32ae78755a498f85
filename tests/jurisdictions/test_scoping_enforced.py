"""Tenant scoping is enforced by django-scopes, not by convention (docs/architecture-decisions.md, 1).

Every tenant-owned model's manager refuses to query unless a scope is open, and inside a tenant's
scope returns that tenant's rows only. The suite's bodies run with scopes disabled (tests/conftest.py);
these tests open `scope(...)` themselves to stand where production code stands.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.http import Http404, HttpRequest, JsonResponse
from django.test import RequestFactory
from django.urls import path
from django_scopes import ScopeError, get_scope, scope
from simple_history.models import HistoricalChanges

from awards import services
from awards.models import Application, ApplicationFile, AwardCycle, GeneratedDocument, Organization
from awards.tasks import render_document_task
from jurisdictions.models import CalendarOverride, Jurisdiction, Role
from jurisdictions.scoping import get_scoped_or_404, scoped
from reviews.models import ReviewAgency
from tests.awards.builders import organization, published_cycle, ready_draft
from tests.conftest import make_user

# Models that reach a jurisdiction through their foreign keys but have no scoped manager, on purpose.
NOT_SCOPED = {
    # Published rules: public, and read across jurisdictions (the site home lists every jurisdiction's
    # rules; diff_profiles and the rule-comparison pages compare versions by slug).
    "jurisdictions.RuleProfile",
    # A user's roles in every jurisdiction: read by user, to route a sign-in and to check a role
    # (jurisdictions.access); a row holds who-has-which-role and no tenant's case data.
    "jurisdictions.Membership",
}


def outside_any_scope():
    """Scopes enforced and none open: where a worker, a shell or a view called without
    TenantMiddleware stands (the suite's own bodies run with scopes disabled)."""
    return scope()


def _tenant_path(model: type[models.Model], depth: int = 4) -> str | None:
    """The foreign-key path from `model` to Jurisdiction ("jurisdiction", "application__jurisdiction"...)."""
    frontier: list[tuple[type[models.Model], str]] = [(model, "")]
    for _ in range(depth):
        reached: list[tuple[type[models.Model], str]] = []
        for current, prefix in frontier:
            for field in current._meta.get_fields():
                if not (field.concrete and (field.many_to_one or field.one_to_one)) or field.related_model is None:
                    continue
                here = f"{prefix}{field.name}"
                if field.related_model is Jurisdiction:
                    return here
                reached.append((field.related_model, f"{here}__"))
        frontier = reached
    return None


def _tenant_models() -> list[type[models.Model]]:
    out = []
    for model in apps.get_models(include_auto_created=True):
        if model is Jurisdiction or _tenant_path(model) is None:
            continue
        # History rows (simple_history) are read through a scoped object's `.history` or in the admin;
        # many-to-many link tables only through the scoped model's relation.
        if issubclass(model, HistoricalChanges) or model._meta.auto_created:
            continue
        out.append(model)
    return out


@pytest.fixture
def two_tenants(cast, loaded):
    """A published cycle with one submitted application in keqiao and one in zhuji."""
    keqiao, zhuji = loaded["keqiao"], loaded["zhuji"]
    apps_by_slug = {}
    for jurisdiction, office in ((keqiao, cast["office"]), (zhuji, cast["other_office"])):
        cycle = published_cycle(jurisdiction, office)
        user = make_user(f"scope-applicant-{jurisdiction.slug}", jurisdiction, Role.APPLICANT)
        org = organization(jurisdiction, user=user)
        apps_by_slug[jurisdiction.slug] = services.submit(ready_draft(cycle, org, user), user)
    return apps_by_slug


def test_every_tenant_owned_model_uses_a_scoped_manager(loaded):
    keqiao = loaded["keqiao"]
    unscoped, wrong_path = [], []
    for model in _tenant_models():
        if model._meta.label in NOT_SCOPED:
            continue
        manager = model._default_manager
        with outside_any_scope():
            try:
                manager.count()
            except ScopeError:
                pass
            else:
                unscoped.append(model._meta.label)
                continue
        # The scope filters along the path scoping.py's helpers use (tenant_field), to a Jurisdiction.
        declared = getattr(model, "tenant_field", "")
        with scope(jurisdiction=keqiao):
            scoped_sql = str(manager.all().query)
        if not declared or scoped_sql != str(manager.with_scopes_disabled().filter(**{declared: keqiao}).query):
            wrong_path.append(model._meta.label)
    assert unscoped == [], "tenant-owned models without a ScopedManager (add one, or a reason to NOT_SCOPED)"
    assert wrong_path == [], "scoped managers that do not filter by the model's tenant_field"


def test_the_allow_list_names_only_models_that_exist_and_reach_a_jurisdiction():
    labels = {m._meta.label for m in _tenant_models()}
    app_labels = {config.label for config in apps.get_app_configs()}
    stale = {label for label in NOT_SCOPED if label.split(".")[0] in app_labels and label not in labels}
    assert stale == set()


@pytest.mark.parametrize(
    "query",
    [
        lambda: Application.objects.count(),
        lambda: list(Application.objects.all()),
        lambda: Application.objects.filter(state="draft").first(),
        lambda: Organization.objects.get(pk=1),
        lambda: list(ApplicationFile.objects.select_related("application")),
        lambda: CalendarOverride.objects.values_list("date", flat=True)[0],
        lambda: ReviewAgency.objects.update(name="x"),
    ],
    ids=["count", "all", "filter", "get", "select_related", "values_list", "update"],
)
def test_an_unscoped_query_of_a_tenant_owned_model_raises(loaded, query):
    with outside_any_scope(), pytest.raises(ScopeError):
        query()


def test_a_related_manager_outside_any_scope_raises_too(two_tenants):
    app = two_tenants["keqiao"]
    with outside_any_scope(), pytest.raises(ScopeError):
        list(app.jurisdiction.applications.all())


def test_a_foreign_key_of_an_object_in_hand_is_followed_without_a_scope(two_tenants):
    # Django follows forward foreign keys with the model's base manager, which is not scoped: the
    # object in hand was already found in some scope.
    file = ApplicationFile.objects.filter(application=two_tenants["keqiao"]).first()
    assert file is not None
    with outside_any_scope():
        assert file.application.cycle.jurisdiction.slug == "keqiao"


def test_inside_a_tenant_scope_another_tenants_rows_are_invisible_without_a_filter(two_tenants, loaded):
    keqiao_app, zhuji_app = two_tenants["keqiao"], two_tenants["zhuji"]
    with scope(jurisdiction=loaded["keqiao"]):
        assert list(Application.objects.values_list("pk", flat=True)) == [keqiao_app.pk]
        assert not Application.objects.filter(pk=zhuji_app.pk).exists()
        assert set(AwardCycle.objects.values_list("jurisdiction__slug", flat=True)) == {"keqiao"}
        assert {f.application_id for f in ApplicationFile.objects.all()} == {keqiao_app.pk}
        with pytest.raises(Application.DoesNotExist):
            Application.objects.get(pk=zhuji_app.pk)
        # A reverse relation from another tenant's object is filtered by the scope as well.
        assert list(zhuji_app.files.all()) == []


def test_the_scoped_helpers_give_the_same_rows_with_scopes_disabled(two_tenants, loaded):
    keqiao = loaded["keqiao"]
    keqiao_app, zhuji_app = two_tenants["keqiao"], two_tenants["zhuji"]
    assert list(scoped(keqiao, Application).values_list("pk", flat=True)) == [keqiao_app.pk]
    with pytest.raises(Http404):
        get_scoped_or_404(keqiao, Application, pk=zhuji_app.pk)
    with scope(jurisdiction=keqiao):
        assert list(scoped(keqiao, Application).values_list("pk", flat=True)) == [keqiao_app.pk]
        assert get_scoped_or_404(keqiao, Application, pk=keqiao_app.pk) == keqiao_app
        with pytest.raises(Http404):
            get_scoped_or_404(keqiao, Application, pk=zhuji_app.pk)


# A probe view, reached through the real middleware stack under a tenant URL and outside one.
def probe(request: HttpRequest) -> JsonResponse:
    current = get_scope()
    return JsonResponse({
        "enabled": current.get("_enabled", True),
        "jurisdiction": getattr(current.get("jurisdiction"), "slug", None),
        "applications": sorted(Application.objects.values_list("pk", flat=True)),
    })


urlpatterns = [
    path("probe/", probe),
    path("<slug:jurisdiction>/probe/", probe),
]


@pytest.mark.urls(__name__)
def test_a_tenant_request_runs_inside_its_tenants_scope(client, two_tenants):
    body = client.get("/keqiao/probe/").json()
    assert body == {"enabled": True, "jurisdiction": "keqiao", "applications": [two_tenants["keqiao"].pk]}
    body = client.get("/zhuji/probe/").json()
    assert body == {"enabled": True, "jurisdiction": "zhuji", "applications": [two_tenants["zhuji"].pk]}


@pytest.mark.urls(__name__)
def test_a_request_outside_a_tenant_runs_with_scopes_disabled(client, two_tenants):
    with outside_any_scope():
        body = client.get("/probe/").json()
    assert body["enabled"] is False
    assert body["applications"] == sorted(a.pk for a in two_tenants.values())


def test_a_view_reaching_an_unscoped_manager_outside_the_middlewares_scope_fails(two_tenants, loaded):
    # The applicant's home page asks for its organisations; called without TenantMiddleware (and so
    # without its scope) the query refuses instead of answering from every tenant.
    from accounts.views_homes import applicant_home

    request = RequestFactory().get("/keqiao/applicant/")
    request.jurisdiction = loaded["keqiao"]
    request.user = two_tenants["keqiao"].organization.users.first()
    with outside_any_scope(), pytest.raises(ScopeError):
        applicant_home(request)
    with outside_any_scope(), pytest.raises(ScopeError):
        probe(request)


def test_a_task_opens_its_own_scope(two_tenants, settings, tmp_path):
    # A worker has no scope open: the task finds the application by id and builds in its tenant.
    settings.MEDIA_ROOT = str(tmp_path)
    app = two_tenants["keqiao"]
    with outside_any_scope():
        assert render_document_task(app.pk, GeneratedDocument.Kind.RECEIPT) is True
    assert GeneratedDocument.objects.filter(application=app, kind=GeneratedDocument.Kind.RECEIPT).exists()
