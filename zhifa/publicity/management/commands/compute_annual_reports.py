"""Compute the draft 年度行政执法数据 of every agency (or one) for a year (G6, G11)."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from zhifa.organizations.models import Organization
from zhifa.publicity import annual_services


class Command(BaseCommand):
    help = "根据案件数据统计各执法主体的年度行政执法数据草稿（G6、G11）；已公开的年度数据不会改动。"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, default=None, help="统计年度，默认为上一年度。")
        parser.add_argument("--agency", type=int, default=None, help="只统计该执法主体（编号）。")

    def handle(self, *args, year=None, agency=None, **options):
        year = year or timezone.localdate().year - 1
        try:
            if agency is not None:
                org = Organization.objects.agencies().filter(pk=agency).first()
                if org is None:
                    raise CommandError(f"没有编号为{agency}的执法主体。")
                report = annual_services.compute_report(org, year)
                self.stdout.write(f"已统计{org.name}{report.year}年度行政执法数据。")
                return
            computed, skipped = annual_services.compute_all(year)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from exc
        self.stdout.write(
            f"已统计{computed}个执法主体的{year}年度行政执法数据草稿；{skipped}个已公开，未改动。"
        )
