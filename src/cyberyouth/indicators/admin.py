"""The back office: an administrator adds an indicator, a data element or a form here, without code."""

from django.contrib import admin

from .models import DataElement, FormElement, Indicator, Milestone, Period, ReportForm


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


@admin.register(Indicator)
class IndicatorAdmin(admin.ModelAdmin):
    list_display = ("number", "short_name", "numerator", "denominator", "population")
    inlines = [MilestoneInline]

    def save_model(self, request, obj, form, change):
        from .formulas import parse

        parse(obj.numerator)
        parse(obj.denominator)
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        from . import selectors, services

        selectors.invalidate_cache()
        services.figures_refresh()  # stored figures follow the new definition


class FormElementInline(admin.TabularInline):
    model = FormElement
    extra = 0


@admin.register(ReportForm)
class ReportFormAdmin(admin.ModelAdmin):
    list_display = ("code", "name")
    inlines = [FormElementInline]


@admin.register(DataElement)
class DataElementAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "value_type", "part_of", "provider")


admin.site.register(Period)
