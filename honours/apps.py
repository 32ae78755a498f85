from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HonoursConfig(AppConfig):
    name = "honours"
    verbose_name = _("审定、奖励与证书")

    def ready(self) -> None:
        # The workflow asks this app whether a proposed winner may be awarded: publicity over, every
        # objection closed, the approval on record.
        from awards.states import AppState
        from awards.workflow import register_evidence

        from . import tasks  # noqa: F401
        from .approval import approval_on_record

        register_evidence(approval_on_record, {(AppState.PROPOSED, AppState.AWARDED)})
