from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhifa.powers import services


class Command(BaseCommand):
    help = (
        "载入随软件提供的全部法律法规文本（zhifa/powers/data/laws），并按施行日期更新现行版本；可重复运行。"
    )

    def handle(self, *args, **options):
        try:
            results = services.load_bundled_laws()
        except ValidationError as exc:
            raise CommandError("载入失败：" + "；".join(exc.messages)) from exc
        for result in results:
            self.stdout.write(result.message)
        created = sum(r.created for r in results)
        self.stdout.write(self.style.SUCCESS(f"共{len(results)}部法律法规，新导入{created}部。"))
