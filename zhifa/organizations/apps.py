from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "zhifa.organizations"
    verbose_name = "组织机构"
