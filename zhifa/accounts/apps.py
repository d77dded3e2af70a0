from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _sync_roles(sender, **kwargs):
    from .services import sync_roles

    sync_roles()


class AccountsConfig(AppConfig):
    name = "zhifa.accounts"
    verbose_name = "账户与角色"

    def ready(self):
        post_migrate.connect(_sync_roles, dispatch_uid="zhifa.accounts.sync_roles")
