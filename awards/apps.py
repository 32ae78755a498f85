from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("评奖与申报")

    def ready(self) -> None:
        # Registers the workflow's on-commit side effects (receipt and letter PDFs).
        from . import tasks  # noqa: F401
