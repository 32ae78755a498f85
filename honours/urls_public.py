from django.urls import path

from . import views_public

urlpatterns = [
    path("winners/", views_public.archive, name="winners-archive"),
    path("winners/<int:year>/", views_public.winners, name="winners"),
]
