from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReviewsConfig(AppConfig):
    name = "reviews"
    verbose_name = _("评审")

    def ready(self) -> None:
        # Registers the workflow's on-commit side effects of the review stage (feedback reports).
        from . import report_tasks, tasks  # noqa: F401
