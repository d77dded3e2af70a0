from django.apps import AppConfig


class ReviewConfig(AppConfig):
    name = "zhifa.review"
    verbose_name = "重大执法决定法制审核"

    def ready(self):
        from zhifa.cases.signals import action_performed

        from . import services

        action_performed.connect(services.on_action_performed, dispatch_uid="review_filing")
