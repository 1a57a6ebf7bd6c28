from django.contrib import admin

from parstat.catalog.admin import ReadOnly
from parstat.reporting.models import Period, Report


@admin.register(Period)
class PeriodAdmin(admin.ModelAdmin):
    list_display = ("code", "kind", "start", "end", "deadline")
    list_editable = ("deadline",)
    list_filter = ("year", "kind")


@admin.register(Report)
class ReportAdmin(ReadOnly):
    """Read-only: values and states change only through the entry form, imports and the API."""

    list_display = ("unit", "period", "template", "state", "submitted_at", "submitted_late",
                    "synthetic")
    list_filter = ("state", "period", "synthetic")
    search_fields = ("unit__code", "unit__name")
