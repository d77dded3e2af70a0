from django.contrib import admin

from .models import AnnualInspection, Certificate, ExamResult, Officer, PersonnelPolicy, TrainingHours


@admin.register(Officer)
class OfficerAdmin(admin.ModelAdmin):
    list_display = ("name", "gender", "organization", "position", "employment_type", "status")
    list_filter = ("status", "employment_type")
    search_fields = ("name",)
    autocomplete_fields = ("organization",)
    raw_id_fields = ("user",)


class InspectionInline(admin.TabularInline):
    model = AnnualInspection
    extra = 0


@admin.register(Certificate)
class CertificateAdmin(admin.ModelAdmin):
    list_display = ("number", "officer", "issuing_authority", "issued_on", "valid_until", "status")
    list_filter = ("status",)
    search_fields = ("number",)
    raw_id_fields = ("officer",)
    inlines = [InspectionInline]


@admin.register(TrainingHours)
class TrainingHoursAdmin(admin.ModelAdmin):
    list_display = ("officer", "year", "date", "hours", "topic")
    raw_id_fields = ("officer",)


@admin.register(ExamResult)
class ExamResultAdmin(admin.ModelAdmin):
    list_display = ("officer", "date", "subject", "score", "passed")
    raw_id_fields = ("officer",)


@admin.register(PersonnelPolicy)
class PersonnelPolicyAdmin(admin.ModelAdmin):
    list_display = (
        "__str__",
        "min_training_hours",
        "inspection_grace_days",
        "warning_days",
        "number_pattern",
    )
