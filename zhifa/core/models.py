from django.db import models


class Sequence(models.Model):
    """A named counter for gap-free numbers (案号, 文号): one row per agency, kind and year."""

    key = models.CharField("序列", max_length=120, unique=True)
    value = models.PositiveIntegerField("当前值", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "编号序列"

    def __str__(self):
        return f"{self.key}: {self.value}"
