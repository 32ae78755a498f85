from django.apps import AppConfig
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


def forget_public_pages_on_commit(**_kwargs) -> None:
    """The public homes show the open call: a cycle published, moved or closed retires their cached
    copies once the change is committed (jurisdictions/public_pages.py)."""
    from jurisdictions.public_pages import forget_public_pages

    transaction.on_commit(forget_public_pages)


class AwardsConfig(AppConfig):
    name = "awards"
    verbose_name = _("评奖与申报")

    def ready(self) -> None:
        # Registers the workflow's on-commit side effects (receipt and letter PDFs, notifications).
        from . import notifications, tasks  # noqa: F401
        from .models import AwardCycle

        post_save.connect(forget_public_pages_on_commit, sender=AwardCycle, dispatch_uid="public-pages-cycle-save")
        post_delete.connect(forget_public_pages_on_commit, sender=AwardCycle, dispatch_uid="public-pages-cycle-del")
