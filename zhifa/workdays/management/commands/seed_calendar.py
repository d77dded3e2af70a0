from django.core.management.base import BaseCommand
from django.db import transaction

from zhifa.workdays import seed, services
from zhifa.workdays.models import CalendarDay, CalendarYear


class Command(BaseCommand):
    help = "从 chinesecalendar 载入国务院办公厅节假日安排（升级该软件包后运行；不改动管理员录入的日期）。"

    @transaction.atomic
    def handle(self, *args, **options):
        counts = seed.sync(CalendarDay, CalendarYear)
        services.bump_revision()
        years = seed.covered_years()
        self.stdout.write(
            f"已同步{years[0]}—{years[-1]}年：新增{counts['created']}天，更新{counts['updated']}天，"
            f"删除{counts['deleted']}天，新载入{counts['years']}个年度。"
        )
