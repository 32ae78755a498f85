from django.urls import include, path

urlpatterns = [
    path("", include("awards.urls_applicant")),
    path("", include("awards.urls_office")),
]
