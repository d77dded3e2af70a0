from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from zhifa.powers import services
from zhifa.powers.models import LawLevel


class Command(BaseCommand):
    help = (
        "导入一部法律法规文本（格式见 zhifa/powers/data/laws/README.md）；重复导入同一版本不会产生重复数据。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="法规文件，如“食品安全法(2021-04-29).md”")
        parser.add_argument("--short-title", default="", help="简称（默认取自文件名或标题）")
        parser.add_argument(
            "--version-date", type=date.fromisoformat, help="版本日期 YYYY-MM-DD（默认取自文件名或沿革）"
        )
        parser.add_argument("--level", choices=LawLevel.values, default="", help="效力层级（默认自动识别）")

    def handle(self, *args, file, short_title, version_date, level, **options):
        if not file.is_file():
            raise CommandError(f"文件不存在：{file}")
        try:
            result = services.import_law_file(
                file, short_title=short_title, version_date=version_date, level=level
            )
        except ValidationError as exc:
            raise CommandError("导入失败：" + "；".join(exc.messages)) from exc
        self.stdout.write(self.style.SUCCESS(result.message))
