from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import EnforcementField, Entrustment, Organization, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "parent")
    search_fields = ("code", "name")


@admin.register(EnforcementField)
class EnforcementFieldAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "order")


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    form = movenodeform_factory(Organization)
    list_display = ("name", "kind", "subject_kind", "credit_code", "region")
    list_filter = ("kind", "subject_kind")
    search_fields = ("name", "credit_code")


@admin.register(Entrustment)
class EntrustmentAdmin(admin.ModelAdmin):
    list_display = ("entrusting", "entrusted", "start_date", "end_date", "revoked_at")
