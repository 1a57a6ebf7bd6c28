"""Which report a file goes into: its unit, period and template as objects, resolved once.

Every edge that imports a file (the upload page, the API, ``parstat import``, a batch) hands the
import service an :class:`ImportTarget` or the codes :func:`resolve_target` turns into one; the
service never looks a code up a second time.
"""

from __future__ import annotations

from dataclasses import dataclass

from parstat.catalog.editions import template_for
from parstat.catalog.models import Template
from parstat.errors import ParstatError
from parstat.reporting.models import Period, Report
from parstat.reporting.periods import find_period
from parstat.units.models import OrgUnit


@dataclass(frozen=True)
class ImportTarget:
    unit: OrgUnit
    period: Period
    template: Template

    @classmethod
    def of(cls, report: Report) -> ImportTarget:
        """The target of a report that exists (the upload page's)."""
        return cls(unit=report.unit, period=report.period, template=report.template)

    def existing_report(self) -> Report | None:
        return Report.objects.filter(unit=self.unit, period=self.period,
                                     template=self.template).first()


def resolve_target(unit: OrgUnit | str, period: Period | str,
                   template: Template | str | None = None) -> ImportTarget:
    """Objects for codes: ``unit.not_found``, ``period.not_found`` (periods are never made by
    an import), ``template.not_found``; without a template, the edition the unit fills for the
    period (``catalog.editions.template_for``), or ``unit.no_template``."""
    if isinstance(unit, str):
        found = OrgUnit.objects.filter(code=unit).first()
        if found is None:
            raise ParstatError("unit.not_found", code=unit)
        unit = found
    if isinstance(period, str):
        period = find_period(period)
    if isinstance(template, str):
        code = template
        template = Template.objects.filter(code=code).first()
        if template is None:
            raise ParstatError("template.not_found", code=code)
    if template is None:
        template = template_for(unit, period)
        if template is None:
            raise ParstatError("unit.no_template", code=unit.code, kind=unit.get_kind_display())
    return ImportTarget(unit=unit, period=period, template=template)
