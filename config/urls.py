from django.contrib import admin
from django.urls import include, path

from config.health import healthz
from jurisdictions import views as jurisdiction_views

urlpatterns = [
    path("", jurisdiction_views.home, name="home"),
    path("healthz/", healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("accounts/", include("accounts.urls_site")),
    # A certificate's verification page is site-wide: its QR code names no tenant.
    path("verify/", include("honours.urls_verify")),
    # Everything below carries the tenant; TenantMiddleware resolves <jurisdiction> once.
    path("<slug:jurisdiction>/", include("jurisdictions.urls")),
    path("<slug:jurisdiction>/", include("accounts.urls")),
    path("<slug:jurisdiction>/", include("awards.urls")),
    path("<slug:jurisdiction>/", include("reviews.urls_reviewer")),
    path("<slug:jurisdiction>/", include("reviews.urls_office")),
    path("<slug:jurisdiction>/", include("committee.urls_office")),
    path("<slug:jurisdiction>/", include("committee.urls_member")),
    path("<slug:jurisdiction>/", include("publicity.urls_public")),
    path("<slug:jurisdiction>/", include("publicity.urls_office")),
    path("<slug:jurisdiction>/", include("honours.urls_public")),
    path("<slug:jurisdiction>/", include("honours.urls_office")),
    path("<slug:jurisdiction>/", include("duties.urls")),
    path("<slug:jurisdiction>/", include("sanctions.urls")),
    path("<slug:jurisdiction>/", include("records.urls")),
]

handler404 = "jurisdictions.views.not_found"
handler500 = "jurisdictions.views.server_error"

