from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class JurisdictionsConfig(AppConfig):
    name = "jurisdictions"
    verbose_name = _("辖区与规则")

    def ready(self) -> None:
        from . import form_wording
        from .models import CriteriaSet, Jurisdiction, RuleProfile
        from .public_pages import forget_public_pages

        # The cached public pages show these rows (jurisdictions/public_pages.py).
        for model in (Jurisdiction, CriteriaSet, RuleProfile):
            post_save.connect(forget_public_pages, sender=model, dispatch_uid=f"public-pages-{model.__name__}-save")
            post_delete.connect(forget_public_pages, sender=model, dispatch_uid=f"public-pages-{model.__name__}-del")
        # Our texts instead of Django's default field messages and its "---------" placeholder.
        form_wording.apply()
