from django.urls import path

from . import views_public

urlpatterns = [
    path("", views_public.verify_home, name="verify-home"),
    path("<str:serial>/", views_public.verify, name="verify-certificate"),
]
