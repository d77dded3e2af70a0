from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


def _sync_procedures(sender, **kwargs):
    from .services import sync_procedures

    sync_procedures()


class CasesConfig(AppConfig):
    name = "zhifa.cases"
    verbose_name = "案件办理"

    def ready(self):
        post_migrate.connect(_sync_procedures, sender=self, dispatch_uid="zhifa.cases.sync_procedures")
        # any change of a 程序参数 replaces every worker's cached settings (parameters.settings_for)
        from .models import ProcedureSetting
        from .parameters import bump_revision

        for signal in (post_save, post_delete):
            signal.connect(bump_revision, sender=ProcedureSetting, dispatch_uid="zhifa.cases.settings")
