from django.core.management.base import BaseCommand

from zhifa.cases.deadlines import refresh_levels


class Command(BaseCommand):
    help = "重新计算全部计时中期限的预警等级（红/黄/绿）。后台任务每15分钟自动执行一次。"

    def handle(self, *args, **options):
        changed = refresh_levels()
        self.stdout.write(f"已更新{changed}个期限的预警等级。")
