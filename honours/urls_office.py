from django.urls import path

from . import views_office

urlpatterns = [
    path("office/honours/", views_office.workbench, name="office-honours"),
    path("office/honours/<int:cycle_id>/", views_office.cycle_page, name="office-honours-cycle"),
    path("office/honours/<int:cycle_id>/progress/", views_office.progress, name="office-honours-progress"),
    path("office/honours/<int:cycle_id>/approval-document/", views_office.approval_document,
         name="office-honours-approval-document"),
    path("office/honours/<int:cycle_id>/payments.<slug:fmt>", views_office.payment_list, name="office-honours-payments"),
    path("office/honours/certificates/<int:certificate_id>/revoke/", views_office.revoke_certificate,
         name="office-certificate-revoke"),
    path("certificates/<int:certificate_id>.pdf", views_office.certificate_pdf, name="certificate-pdf"),
]
