"""The working-day calendar as data (D4): only the exceptions to the Monday–Friday rule are stored.

The calendar is national, not scoped by organization: every user reads the same one, only
administrators change it (through :mod:`zhifa.workdays.services`).
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from . import rules


class DayKind(models.TextChoices):
    HOLIDAY = rules.HOLIDAY, "法定节假日"
    WORKDAY = rules.WORKDAY, "调休工作日"


class DaySource(models.TextChoices):
    NOTICE = "notice", "国务院通知"
    ADMIN = "admin", "管理员"


YEAR_VALIDATORS = [MinValueValidator(1950), MaxValueValidator(2200)]


class CalendarYear(models.Model):
    """A year, and whether its 国务院办公厅 holiday notice is fully loaded (D4)."""

    year = models.PositiveSmallIntegerField("年度", unique=True, validators=YEAR_VALIDATORS)
    complete = models.BooleanField(
        "已载入全年安排",
        default=False,
        help_text="该年度国务院办公厅节假日安排通知已完整载入；未载入的年度按周末计算并标注“暂定”。",
    )
    source_note = models.CharField("来源说明", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "日历年度"
        ordering = ["year"]

    def __str__(self):
        return f"{self.year}年（{'已载入' if self.complete else '暂定'}）"


class CalendarDay(models.Model):
    """A 法定节假日 (any day of the week) or a 调休工作日 (a worked Saturday/Sunday)."""

    date = models.DateField("日期", unique=True)
    kind = models.CharField("类型", max_length=10, choices=DayKind.choices)
    name = models.CharField("节日名称", max_length=50, help_text="如“春节”；调休工作日填所属节日。")
    source = models.CharField("来源", max_length=10, choices=DaySource.choices, default=DaySource.ADMIN)
    note = models.CharField("备注", max_length=200, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="最后修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("最后修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "节假日与调休"
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()}（{self.name}）"

    def clean(self):
        if self.date and (error := rules.override_error(self.date, self.kind)):
            raise ValidationError({"kind": error})


class CalendarRevision(models.Model):
    """One row whose token changes with every calendar change (see services.current_calendar).

    A random token rather than a counter: a rolled-back transaction must never leave a number
    that a later, different change reuses while a worker still caches the old data under it.
    """

    token = models.UUIDField("版本")

    class Meta:
        verbose_name = verbose_name_plural = "日历版本"

    def __str__(self):
        return str(self.token)
