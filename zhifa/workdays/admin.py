from django.contrib import admin

from .models import CalendarDay, CalendarYear, DaySource


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "complete", "source_note", "updated_by", "updated_at")
    list_filter = ("complete",)
    readonly_fields = ("updated_by", "updated_at")

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "name", "source", "note", "updated_by", "updated_at")
    list_filter = ("kind", "source")
    search_fields = ("name", "note")
    date_hierarchy = "date"
    readonly_fields = ("source", "updated_by", "updated_at")

    def save_model(self, request, obj, form, change):
        obj.source, obj.updated_by = DaySource.ADMIN, request.user
        super().save_model(request, obj, form, change)
