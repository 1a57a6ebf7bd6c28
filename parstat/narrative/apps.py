from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "parstat.narrative"
    label = "narrative"
    verbose_name = _("Báo cáo thuyết minh")  # the admin's section heading
