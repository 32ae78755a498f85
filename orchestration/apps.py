from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrchestrationConfig(AppConfig):
    """Code that drives a whole cycle across the apps: the what-if scenario runner and demo seeding.

    Nothing imports it; it imports every domain app, so the apps never import each other backwards.
    """

    name = "orchestration"
    verbose_name = _("整轮评审的演示与推演")
