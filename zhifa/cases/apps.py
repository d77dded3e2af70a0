from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_procedures(sender, **kwargs):
    from .services import sync_procedures

    sync_procedures()


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    verbose_name = "案件办理"

    def ready(self):
        post_migrate.connect(_sync_procedures, sender=self, dispatch_uid="zhifa.cases.sync_procedures")
