"""People, roles and accounts of one jurisdiction (included under /<slug:jurisdiction>/)."""

from django.urls import path

from accounts.views_registration import register

from . import views_homes as homes
from . import views_sign_in as views

urlpatterns = [
    path("accounts/login/", views.TenantLoginView.as_view(), name="login"),
    path("accounts/logout/", views.TenantLogoutView.as_view(), name="logout"),
    path("accounts/password/change/", views.TenantPasswordChangeView.as_view(), name="password_change"),
    path(
        "accounts/password/change/done/",
        views.TenantPasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/password/reset/", views.TenantPasswordResetView.as_view(), name="password_reset"),
    path(
        "accounts/password/reset/done/",
        views.TenantPasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        views.TenantPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "accounts/reset/done/",
        views.TenantPasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("register/", register, name="register"),
    path("after-login/", homes.after_login, name="after-login"),
    path("office/", homes.office_home, name="office-home"),
    path("applicant/", homes.applicant_home, name="applicant-home"),
    path("reviewer/", homes.reviewer_home, name="reviewer-home"),
    path("committee/", homes.committee_home, name="committee-home"),
]
