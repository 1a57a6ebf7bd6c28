from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class Config(AppConfig):
    name = "parstat.province"
    label = "province"
    verbose_name = _("Báo cáo của tỉnh")  # the admin's section heading

    def ready(self) -> None:
        from . import levels  # noqa: F401  (registers the approval levels' system check)
