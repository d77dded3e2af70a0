from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "zhifa.publicity"
    verbose_name = "公示门户"

    def ready(self):
        from zhifa.cases.signals import action_performed
        from zhifa.ledger.registry import register

        from . import annual_services, services
        from .models import AnnualReport, Publication, PublicationVersion

        action_performed.connect(services.on_action_performed, dispatch_uid="publicity_pipeline")
        register("publication", PublicationVersion, services.version_payload, select_related=("publication",))
        register("publication_withdrawal", Publication, services.withdrawal_payload)
        register("annual_report", AnnualReport, annual_services.ledger_payload)
