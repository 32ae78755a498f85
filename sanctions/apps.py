from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SanctionsConfig(AppConfig):
    name = "sanctions"
    verbose_name = _("处理、撤销与限制申报")

    def ready(self) -> None:
        # The layers below ask this app: the workflow whether an award may be revoked (an approved
        # revocation on record), the office's application page for blacklist warnings, the review
        # groups whether an agency may serve.
        from awards.office_warnings import register_office_warning
        from awards.states import AppState
        from awards.workflow import register_evidence
        from reviews.agency_checks import register_agency_check

        from .blacklist import agency_check, organization_warnings
        from .revocation import approved_revocation_on_record

        register_evidence(approved_revocation_on_record, {(AppState.AWARDED, AppState.REVOKED)})
        register_office_warning(organization_warnings)
        register_agency_check(agency_check)
