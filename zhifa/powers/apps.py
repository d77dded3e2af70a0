from django.apps import AppConfig


class PowersConfig(AppConfig):
    name = "zhifa.powers"
    verbose_name = "法律法规与权责清单"
