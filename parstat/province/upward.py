"""Delivering the province's sent package to the installation above it (the Ministry's), when
one is configured (``PARSTAT_UPWARD_URL``, ``PARSTAT_UPWARD_TOKEN``: a token made there).

The package posted is the one stored when the report was sent (:func:`sent_package`), byte
for byte, so posting it again is answered "unchanged" by the receiver: delivery can be retried
safely. The page's send and "Gửi lại lên cấp trên" and ``parstat package send`` all call
:func:`deliver`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

from .models import ProvinceReport
from .package import sent_package
from .send import post_package


@dataclass(frozen=True)
class Delivery:
    url: str
    status: int  # the receiver's HTTP status: 201 stored or replaced, 200 unchanged
    outcome: str  # "stored", "replaced" or "unchanged"
    version: int  # the province report's version sent
    totals: int  # totals the receiver stored
    blank: int  # of those, blank
    reports: int  # unit reports listed


def upward_configured() -> bool:
    return bool(settings.PARSTAT_UPWARD_URL and settings.PARSTAT_UPWARD_TOKEN)


def deliver(report: ProvinceReport, *, url: str = "", token: str = "") -> Delivery:
    """Post the sent package to ``url`` (default: the configured one); ``package.send_failed``
    when the receiver refuses or cannot be reached."""
    url = url or settings.PARSTAT_UPWARD_URL
    token = token or settings.PARSTAT_UPWARD_TOKEN
    stored = sent_package(report)
    status, summary = post_package(
        bytes(stored.data), url=url, token=token,
        filename=f"{report.unit.code}_{report.period.code}_v{stored.version}.zip")
    return Delivery(url=url, status=status, outcome=str(summary.get("status", "")),
                    version=stored.version, totals=int(summary.get("totals") or 0),
                    blank=int(summary.get("blank") or 0),
                    reports=int(summary.get("reports") or 0))
