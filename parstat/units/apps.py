from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "parstat.units"
    label = "units"
    verbose_name = _("Đơn vị")  # the admin's section heading
