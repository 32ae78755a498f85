from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DutiesConfig(AppConfig):
    name = "duties"
    verbose_name = _("获奖组织的义务")

    def ready(self) -> None:
        from awards.states import AppState
        from awards.workflow import on_enter

        from . import tasks

        # A new winner gets its yearly reports listed as soon as the award is committed.
        on_enter(AppState.AWARDED)(lambda application_id: tasks.ensure_duties_task.delay(application_id))
