from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "parstat.web"
    label = "web"
    verbose_name = _("Trang web")  # the admin's section heading
