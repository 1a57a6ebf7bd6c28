from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "parstat.api"
    label = "api"
    verbose_name = _("Giao diện lập trình (API)")  # the admin's section heading
