from django.urls import path

from . import views_public

urlpatterns = [
    path("publicity/", views_public.notice_list, name="publicity"),
    path("publicity/objection-status/", views_public.lookup, name="publicity-lookup"),
    path("publicity/<int:notice_id>/", views_public.notice_detail, name="publicity-notice"),
    path("publicity/<int:notice_id>/notice.pdf", views_public.notice_pdf, name="publicity-notice-pdf"),
    path("publicity/<int:notice_id>/objection/", views_public.object_to, name="publicity-object"),
]
