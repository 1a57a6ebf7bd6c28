from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from parstat.accounts.models import ApiToken, Membership


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    autocomplete_fields = ("unit",)


# The admin's own titles, in the site's language (Django's say "Trang quản trị cho Django").
admin.site.site_header = _("parstat — quản trị")
admin.site.site_title = _("parstat — quản trị")
admin.site.index_title = _("Quản trị hệ thống")

User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ParstatUserAdmin(UserAdmin):
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "unit")
    list_filter = ("role",)
    search_fields = ("user__username", "unit__code", "unit__name")
    autocomplete_fields = ("user", "unit")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ("prefix", "name", "user", "created_at", "last_used_at", "revoked_at")
    readonly_fields = ("prefix", "key_hash", "created_at", "last_used_at")
    search_fields = ("user__username", "name", "prefix")
