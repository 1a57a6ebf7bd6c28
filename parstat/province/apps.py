from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "parstat.province"
    label = "province"
    verbose_name = _("Báo cáo của tỉnh")  # the admin's section heading
