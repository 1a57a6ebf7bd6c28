"""Who may do what where: roles held per organisation unit, API tokens, failed sign-ins."""

from __future__ import annotations

import hashlib
import secrets

from django.conf import settings
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from parstat.audit import Acted
from parstat.units.models import OrgUnit


class Role(models.TextChoices):
    REPORTER = "reporter", _("Người báo cáo")  # fills the unit's reports
    APPROVER = "approver", _("Lãnh đạo duyệt")  # the unit's leader: submits
    CONSOLIDATOR = "consolidator", _("Cơ quan tổng hợp")  # sees every unit below, accepts/returns
    VIEWER = "viewer", _("Chỉ xem")


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="memberships", verbose_name=_("người dùng"))
    unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="memberships",
                             verbose_name=_("đơn vị"))
    role = models.CharField(_("vai trò"), max_length=16, choices=Role.choices)

    class Meta:
        verbose_name = _("vai trò theo đơn vị")
        verbose_name_plural = _("vai trò theo đơn vị")
        constraints = [models.UniqueConstraint(fields=["user", "unit", "role"],
                                               name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.unit.code}"


TOKEN_PREFIX = "pst_"


def hash_token(raw: str) -> str:
    # Tokens are long random strings, so a plain SHA-256 is enough (no salt or slow hash needed).
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(models.Model):
    """A personal API token: shown once when made, stored only as its hash."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="api_tokens", verbose_name=_("người dùng"))
    name = models.CharField(_("tên"), max_length=100)
    prefix = models.CharField(_("tiền tố"), max_length=12)  # shown in lists to tell tokens apart
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("tạo lúc"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("dùng lần cuối"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("thu hồi lúc"), null=True, blank=True)

    class Meta:
        verbose_name = _("mã truy cập API")
        verbose_name_plural = _("mã truy cập API")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.name})"

    @staticmethod
    def new_raw_key() -> str:
        return TOKEN_PREFIX + secrets.token_urlsafe(32)

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def revoke(self) -> None:
        self.revoked_at = timezone.now()
        self.save(update_fields=["revoked_at"])


class FailedSignIn(models.Model):
    """The log of failed sign-ins (who, from where, when), for whoever looks into an incident.

    The throttling itself counts in :class:`SignInThrottle`; ``parstat cleanup`` deletes rows
    older than 30 days.
    """

    username = models.CharField(max_length=150, db_index=True)
    ip = models.CharField(max_length=45, db_index=True)
    at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.username} {self.ip} {self.at:%Y-%m-%d %H:%M}"


class SignInThrottle(models.Model):
    """Failed sign-ins of one account name, or from one address, in the current window.

    An attempt is counted before its password is checked, inside a transaction holding this
    row, and when the count is past the free tries the next check is pushed back at once: so
    attempts sent together cannot all slip through the same free moment.
    """

    key = models.CharField(max_length=200, unique=True)  # "account:<name>" or "address:<ip>"
    failures = models.PositiveIntegerField(default=0)
    window_started = models.DateTimeField()
    next_check_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.key}: {self.failures}"
class AccountChangeKind(models.TextChoices):
    CREATED = "created", _("Tạo tài khoản")
    CHANGED = "changed", _("Sửa thông tin")
    ROLE_ADDED = "role_added", _("Thêm vai trò")
    LINK_SENT = "link_sent", _("Gửi liên kết đặt mật khẩu")


class AccountChange(Acted):
    """Audit of people and roles changed in bulk: who, when, from which file, what changed."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="account_changes", verbose_name=_("người dùng"))
    kind = models.CharField(_("loại thay đổi"), max_length=12, choices=AccountChangeKind.choices)
    detail = models.JSONField(_("chi tiết"), default=dict)
    happened_at = models.DateTimeField(_("lúc"), db_index=True)

    class Meta:
        verbose_name = _("lịch sử tài khoản")
        verbose_name_plural = _("lịch sử tài khoản")
        ordering = ["happened_at", "id"]

    def __str__(self) -> str:
        return f"{self.happened_at:%d/%m/%Y %H:%M} {self.actor}: {self.kind} {self.user_id}"


class PersonSession(AbstractBaseSession):
    """A signed-in browser's session (parstat.accounts.sessions), which names its person in a
    column of its own so that the one read of the session brings the person and their roles
    (Django's session keeps the person only inside its encoded data). Deleting the person ends
    their sessions."""

    person = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.CASCADE,
                               related_name="+")

    class Meta:
        verbose_name = _("phiên đăng nhập")
        verbose_name_plural = _("phiên đăng nhập")
