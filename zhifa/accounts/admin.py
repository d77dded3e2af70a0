from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        ("机构", {"fields": ("organization", "full_name", "phone")}),
    )
    list_display = ("username", "full_name", "organization", "is_active")
    list_select_related = ("organization",)
    search_fields = ("username", "full_name")
    autocomplete_fields = ("organization",)
