from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in, passwords, registration and each role's home page: the people side of the site.

    It sits above the domain apps because a role's home gathers that role's work from all of them.
    """

    name = "accounts"
    verbose_name = _("账号与角色首页")
