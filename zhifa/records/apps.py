from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "zhifa.records"
    verbose_name = "执法文书与记录"
