from django.contrib import admin

from .models import (
    Article,
    Chapter,
    DiscretionBenchmark,
    DiscretionTier,
    InspectionItem,
    Law,
    LawVersion,
    Paragraph,
    PowerItem,
    PowerItemBasis,
)


class LawVersionInline(admin.TabularInline):
    model = LawVersion
    fields = ("version_date", "effective_date", "is_current", "source_name")
    readonly_fields = ("source_name",)
    extra = 0
    show_change_link = True


@admin.register(Law)
class LawAdmin(admin.ModelAdmin):
    list_display = ("title", "short_title", "level", "issuing_body")
    list_filter = ("level",)
    search_fields = ("title", "short_title")
    inlines = [LawVersionInline]


@admin.register(LawVersion)
class LawVersionAdmin(admin.ModelAdmin):
    list_display = ("law", "version_date", "effective_date", "is_current")
    list_filter = ("is_current",)
    list_select_related = ("law",)


class ParagraphInline(admin.TabularInline):
    model = Paragraph
    extra = 0


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ("__str__", "number", "version")
    list_select_related = ("version__law",)
    search_fields = ("version__law__short_title", "label", "text")
    raw_id_fields = ("version", "chapter")
    inlines = [ParagraphInline]


@admin.register(Chapter)
class ChapterAdmin(admin.ModelAdmin):
    list_display = ("title", "version", "ordinal")
    list_select_related = ("version__law",)


class PowerItemBasisInline(admin.TabularInline):
    model = PowerItemBasis
    raw_id_fields = ("article",)
    extra = 0


@admin.register(PowerItem)
class PowerItemAdmin(admin.ModelAdmin):
    list_display = ("name", "category", "agency", "code", "is_active")
    list_filter = ("category", "is_active")
    list_select_related = ("agency",)
    search_fields = ("name", "code")
    raw_id_fields = ("agency", "undertaking_unit")
    inlines = [PowerItemBasisInline]


@admin.register(InspectionItem)
class InspectionItemAdmin(admin.ModelAdmin):
    list_display = ("field_name", "name", "target", "agency", "is_active")
    list_select_related = ("agency",)
    search_fields = ("field_name", "name", "target")
    raw_id_fields = ("agency",)


class DiscretionTierInline(admin.TabularInline):
    model = DiscretionTier
    extra = 0
    fields = (
        "order",
        "sub_item",
        "party",
        "level_label",
        "tier",
        "condition_text",
        "penalty_kinds",
        "fine_min",
        "fine_max",
        "multiple_base",
        "multiple_min",
        "multiple_max",
    )

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DiscretionBenchmark)
class DiscretionBenchmarkAdmin(admin.ModelAdmin):
    """Read-only here: benchmarks change through the staff pages and services, which enforce S8."""

    list_display = (
        "power_item",
        "title",
        "document_number",
        "version",
        "status",
        "effective_from",
        "effective_until",
    )
    list_filter = ("status",)
    list_select_related = ("power_item",)
    search_fields = ("power_item__name", "title", "document_number")
    raw_id_fields = ("agency", "power_item", "previous", "published_by")
    readonly_fields = ("status", "published_at", "published_by", "withdrawn_at", "version")
    inlines = [DiscretionTierInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
