from django.apps import AppConfig


class PublicityConfig(AppConfig):
    name = "zhifa.publicity"
    verbose_name = "公示门户"
