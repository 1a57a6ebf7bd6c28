from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "parstat.accounts"
    label = "accounts"
    verbose_name = _("Tài khoản và phân quyền")  # the admin's section heading
