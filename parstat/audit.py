"""What every audit row shares: who made the change and from where.

Value changes, report and province events, narrative changes, unit, account and package
changes each add what changed and when; the "who" and "from where" are these four fields,
filled from the acting person by :meth:`parstat.reporting.actions.Actor.audit_fields`.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Source(models.TextChoices):
    IMPORT = "import", _("Nhập từ tệp")
    FORM = "form", _("Biểu mẫu web")
    API = "api", _("API")
    CLI = "cli", _("Dòng lệnh")
    DEMO = "demo", _("Dữ liệu minh họa")


ORIGIN_LENGTH = 300
# Who changed a thing when no audit row names anyone, in a refusal's words (lazy: said in the
# language the refusal is read in).
SOMEONE_ELSE = _("người khác")


class Acted(models.Model):
    """The who and from where of an audit row (abstract: each audit table has its own)."""

    # Kept when the account is gone? No: an account that made changes cannot be deleted.
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("tài khoản"))
    actor = models.CharField(_("người thực hiện"), max_length=150)  # username, or "system"
    source = models.CharField(_("nguồn"), max_length=8, choices=Source.choices)
    origin = models.CharField(_("từ đâu"), max_length=ORIGIN_LENGTH, blank=True)  # IP, file, host

    class Meta:
        abstract = True
