from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "parstat.analytics"
    label = "analytics"
    verbose_name = _("Tổng hợp, phân tích")  # the admin's section heading
