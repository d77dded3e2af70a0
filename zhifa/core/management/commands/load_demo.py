import unicodedata

from django.core.management.base import BaseCommand

from zhifa.core.demo import DEMO_PASSWORD, demo_loaded, load_demo


def pad(text: str, width: int) -> str:
    """Left-justify for a terminal, where a CJK character takes two columns."""
    used = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    return text + " " * max(0, width - used)


class Command(BaseCommand):
    help = "载入演示数据（示范市及其3个区县的执法主体、执法人员、法律法规与权责清单），并打印演示账号。"

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, seed, **options):
        from zhifa.accounts.models import User

        if demo_loaded():
            self.stdout.write("演示数据已存在，跳过载入。")
        else:
            ctx = load_demo(seed)
            self.stdout.write(self.style.SUCCESS(f"已载入演示数据：{len(ctx.agencies)}个执法主体。"))
        self.stdout.write(f"\n演示账号（密码均为 {DEMO_PASSWORD}）：")
        for user in (
            User.objects.filter(username__startswith="demo_").select_related("organization").order_by("id")
        ):
            roles = "、".join(role.label for role in user.roles) or "—"
            self.stdout.write(f"  {user.username:<24} {pad(roles, 16)} {user.organization or ''}")
        self.stdout.write("")
