"""Back-office writes go to the same audit log as the services'."""

from django.contrib import admin

from .services import audit_record, snapshot


class AuditedModelAdmin(admin.ModelAdmin):
    def save_model(self, request, obj, form, change):
        before = snapshot(type(obj).objects.get(pk=obj.pk)) if change and obj.pk else None
        super().save_model(request, obj, form, change)
        audit_record(actor=request.user, action=f"admin.{'change' if change else 'add'}", target=obj,
                     before=before, after=snapshot(obj))

    def delete_model(self, request, obj):
        before = snapshot(obj)
        audit_record(actor=request.user, action="admin.delete", target=obj, before=before)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            audit_record(actor=request.user, action="admin.delete", target=obj, before=snapshot(obj))
        super().delete_queryset(request, queryset)
