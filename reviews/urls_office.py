"""Review pages of the office, of a site group's leader and of the applicant (under /<slug:jurisdiction>/)."""

from django.urls import path

from . import views_office as office
from . import views_office_discipline as discipline
from . import views_office_groups as groups
from . import views_office_pool as reviewer_pool
from . import views_office_ranking as ranking
from . import views_office_reopen as reopen
from . import views_office_report as report
from . import views_office_site as site

REVIEW = "office/cycles/<int:year>/review/"

urlpatterns = [
    path(REVIEW, office.overview, name="office-review"),
    path(REVIEW + "groups/", groups.group_list, name="office-review-groups"),
    path(REVIEW + "groups/<int:group_id>/members/", groups.add_member, name="office-review-add-member"),
    path(REVIEW + "agencies/", groups.agency_create, name="office-review-agency-create"),
    path(REVIEW + "agencies/<int:agency_id>/reviewers/", groups.agency_reviewers, name="office-review-agency-reviewers"),
    path(REVIEW + "assignments/", groups.assignments, name="office-review-assignments"),
    path("office/reviewer-pool/", reviewer_pool.reviewer_pool, name="office-reviewer-pool"),
    path("office/reviewer-pool/<int:pk>/remove/", reviewer_pool.reviewer_pool_remove, name="office-reviewer-pool-remove"),
    path("office/reviewer-sanctions/", discipline.reviewer_sanctions, name="office-reviewer-sanctions"),
    path(REVIEW + "shortlist/", ranking.shortlist, name="office-review-shortlist"),
    path(REVIEW + "site/", site.site_reviews, name="office-review-site"),
    path(REVIEW + "site/<int:pk>/schedule/", site.site_schedule, name="office-review-site-schedule"),
    path(REVIEW + "site/<int:pk>/dispute/", site.site_dispute, name="office-review-site-dispute"),
    path(REVIEW + "evaluation/", ranking.evaluation, name="office-review-evaluation"),
    path(REVIEW + "evaluation/report.pdf", report.report_pdf, name="office-review-report-pdf"),
    path(REVIEW + "evaluation/report.xlsx", report.report_xlsx, name="office-review-report-xlsx"),
    path(REVIEW + "evaluation/report-<str:kind>/progress/", report.report_progress,
         name="office-review-report-progress"),
    path(REVIEW + "applications/<int:pk>/reopen/", reopen.stage_reopen, name="office-review-stage-reopen"),
    # The site group's leader writes the site report.
    path("reviewer/site-reports/", site.leader_reports, name="reviewer-site-report-list"),
    path("reviewer/site-reports/<int:pk>/", site.leader_report, name="reviewer-site-report-write"),
    # The applicant (and, for the feedback, the office).
    path("applications/<int:pk>/site-report/", site.applicant_site_report, name="applicant-site-report"),
    path("applications/<int:pk>/review-feedback.pdf", site.feedback_report, name="application-review-feedback"),
]
