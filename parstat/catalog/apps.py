from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "parstat.catalog"
    label = "catalog"
    verbose_name = _("Biểu mẫu và chỉ tiêu")  # the admin's section heading
