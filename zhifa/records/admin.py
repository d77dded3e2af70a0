from django.contrib import admin

from .models import Document, DocumentTemplate, NumberPattern


@admin.register(DocumentTemplate)
class DocumentTemplateAdmin(admin.ModelAdmin):
    list_display = ["kind", "version", "is_active", "uploaded_by", "uploaded_at", "note"]
    list_filter = ["kind", "is_active"]
    readonly_fields = ["kind", "version", "file", "sha256", "is_active", "uploaded_by", "uploaded_at"]

    def has_add_permission(self, request):
        return False  # uploads go through validation in the staff pages

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NumberPattern)
class NumberPatternAdmin(admin.ModelAdmin):
    list_display = ["agency", "kind", "pattern", "abbreviation", "pad_width"]
    list_filter = ["kind"]
    list_select_related = ["agency"]


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["number", "kind", "agency", "case_label", "issued_on", "created_by"]
    list_filter = ["kind"]
    list_select_related = ["agency", "created_by"]
    search_fields = ["number", "case_label"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
