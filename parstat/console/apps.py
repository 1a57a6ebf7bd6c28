from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "parstat.console"
    label = "console"
    verbose_name = _("Dòng lệnh")  # the admin's section heading
