from django.apps import AppConfig


class RecordsConfig(AppConfig):
    name = "zhifa.records"
    verbose_name = "执法文书与记录"

    def ready(self):
        from zhifa.cases.signals import action_performed

        from . import archive

        action_performed.connect(archive.on_action_performed, dispatch_uid="records_archive_deadline")
