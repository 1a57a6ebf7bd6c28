from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from parstat.catalog.models import Indicator, Rule, Template


class ReadOnly(admin.ModelAdmin):
    """Shown, never changed here: templates come from their YAML files (`parstat init`),
    reports change only through the do_… actions."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Template)
class TemplateAdmin(ReadOnly):
    list_display = ("code", "name", "edition", "loaded_at")


@admin.register(Indicator)
class IndicatorAdmin(ReadOnly):
    list_display = ("code", "stt", "label", "unit", "kind", "aggregation", "cumulative", "formula")
    list_filter = ("template", "kind", "aggregation", "section")
    search_fields = ("code", "label")


@admin.register(Rule)
class RuleAdmin(ReadOnly):
    list_display = ("code", "left", "operator", "right", "severity", "missing")
    list_filter = ("template", "severity")
