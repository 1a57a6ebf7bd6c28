from django.contrib import admin

from parstat.units.models import OrgUnit


@admin.register(OrgUnit)
class OrgUnitAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "parent", "valid_from", "valid_to", "successor",
                    "synthetic")
    list_filter = ("kind", "synthetic")
    search_fields = ("code", "name")
    autocomplete_fields = ("parent", "successor")
