from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "parstat.reporting"
    label = "reporting"
    verbose_name = _("Báo cáo và kỳ báo cáo")  # the admin's section heading
