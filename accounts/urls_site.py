"""Site-wide account URLs (superusers and the admin); tenant logins live under /<slug>/accounts/.

The names repeat the tenant ones on purpose: reverse("login") with no tenant resolves here, so
settings.LOGIN_URL still works for any view outside a jurisdiction.
"""

from django.urls import path

from . import views_sign_in as views

urlpatterns = [
    path("login/", views.SiteLoginView.as_view(), name="login"),
    path("logout/", views.SiteLogoutView.as_view(), name="logout"),
]
