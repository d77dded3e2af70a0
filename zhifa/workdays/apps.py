from django.apps import AppConfig


class WorkdaysConfig(AppConfig):
    name = "zhifa.workdays"
    verbose_name = "工作日历"

    def ready(self):
        from . import signals  # noqa: F401
