from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    name = "records"
    verbose_name = _("评审档案")

    def ready(self) -> None:
        # A cycle's retention period is fixed in the same transaction as its close; an office member
        # with a declared conflict is refused every move of that organisation's applications.
        from awards.states import CycleState
        from awards.workflow import on_cycle_enter, register_actor_check

        from . import tasks  # noqa: F401
        from .retention import record_close
        from .staff_conflicts import refusals

        on_cycle_enter(CycleState.CLOSED)(record_close)
        register_actor_check(refusals)
