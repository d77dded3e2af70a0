from django.contrib import admin

from .models import Article, Chapter, InspectionItem, Law, LawVersion, Paragraph, PowerItem, PowerItemBasis


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
