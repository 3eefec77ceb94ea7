from django.contrib import admin

from .models import GeneratedDocument, ReportNote


@admin.register(GeneratedDocument)
class GeneratedDocumentAdmin(admin.ModelAdmin):
    """Read-only: versions are made by the reports services, never edited by hand."""

    list_display = ["kind", "unit", "year", "version", "status", "author", "data_as_of"]
    list_filter = ["kind", "status", "year"]
    search_fields = ["title", "unit__name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ReportNote)
class ReportNoteAdmin(admin.ModelAdmin):
    """Read-only here: units write their text on the reports page (audited there)."""

    list_display = ["unit", "kind", "year", "updated_by", "updated_at"]
    list_filter = ["kind", "year"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
