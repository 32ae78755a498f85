from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicityConfig(AppConfig):
    name = "publicity"
    verbose_name = _("公示与公告")

    def ready(self) -> None:
        # The workflow asks this app whether a proposed winner's disqualification rests on an upheld
        # objection, and whether the cycle may enter and leave publicity.
        from awards.states import AppState, CycleState
        from awards.workflow import register_cycle_check, register_evidence

        from .notices import list_settled, notice_over
        from .objections import upheld_objection

        register_evidence(upheld_objection, {(AppState.PROPOSED, AppState.DISQUALIFIED)})
        register_cycle_check((CycleState.REVIEW, CycleState.PUBLICITY), list_settled)
        register_cycle_check((CycleState.PUBLICITY, CycleState.APPROVAL), notice_over)

        from .notices import changed
        from .page_cache import forget

        changed.connect(forget, dispatch_uid="publicity-public-pages")
