from django.contrib import admin

from cyberyouth.audit.admin_mixins import AuditedModelAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import ApiToken, Reorganisation, RoleAssignment, Unit, UnitSuccession, UnitVersion, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["unit"]


@admin.register(User)
class UserAdmin(AuditedModelAdmin, BaseUserAdmin):
    fieldsets = BaseUserAdmin.fieldsets + (("Hồ sơ", {"fields": ("full_name", "phone")}),)
    list_display = ["username", "full_name", "email", "is_active", "is_staff"]
    search_fields = ["username", "full_name", "email"]
    inlines = [RoleInline]


class VersionInline(admin.TabularInline):
    model = UnitVersion
    fk_name = "unit"
    extra = 0
    readonly_fields = ["name", "parent", "valid_from", "valid_to", "reorganisation"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Unit)
class UnitAdmin(AuditedModelAdmin):
    """Read-mostly: the tree changes only through reorganisation operations (pages or API)."""

    list_display = ["name", "code", "unit_type", "parent", "valid_from", "valid_to", "is_demo"]
    list_filter = ["unit_type", "is_demo"]
    search_fields = ["name", "code", "official_code"]
    readonly_fields = ["code", "unit_type", "valid_from", "valid_to", "name", "parent"]
    inlines = [VersionInline]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Reorganisation)
class ReorganisationAdmin(AuditedModelAdmin):
    list_display = ["effective_date", "kind", "legal_basis", "created_by"]
    list_filter = ["kind"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(UnitSuccession, AuditedModelAdmin, list_display=["predecessor", "successor", "effective_date", "share"])
admin.site.register(ApiToken, AuditedModelAdmin, list_display=["prefix", "user", "name", "created_at", "expires_at", "revoked"],
                    readonly_fields=["key_hash", "prefix"])
admin.site.site_header = "Quản trị — Không gian mạng xanh"
admin.site.site_title = "Quản trị"
