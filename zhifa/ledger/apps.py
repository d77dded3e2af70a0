from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "zhifa.ledger"
    verbose_name = "存证日志"

    def ready(self):
        from . import producers  # noqa: F401  (registers the payload builders)
