"""What is published (事后公示) and what the portal reads.

A ``Publication`` is created from a case's decision (or inspection result) by the pipeline; its
content is a chain of ``PublicationVersion`` snapshots: the first is a redacted draft the agency
head approves, a correction is a new version, and an approved version is never edited (G4, G5).
``PortalEntry`` is the portal's only source for decisions: one row per publication that is on the
portal, copied from its approved snapshot (principle 5 of ARCHITECTURE.md) — the portal has no path
to case tables. ``AnnualReport`` is an agency's 年度行政执法数据 (G6, G11).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from zhifa.core.scope import ScopedManager, ScopedQuerySet


class ImmutableSnapshotError(Exception):
    pass


class Category(models.TextChoices):
    PENALTY = "penalty", "行政处罚"
    NO_PENALTY = "no_penalty", "不予行政处罚"
    LICENSING = "licensing", "行政许可"
    INSPECTION = "inspection", "行政检查"
    COERCION = "coercion", "行政强制"


class Seriousness(models.TextChoices):
    """Seriousness class that sets the display period (G9)."""

    SLIGHT = "slight", "轻微"
    GENERAL = "general", "一般"
    SERIOUS = "serious", "严重"


class Status(models.TextChoices):
    DRAFT = "draft", "待审核公示"
    PUBLISHED = "published", "已公示"
    WITHDRAWN = "withdrawn", "已撤回"
    EXPIRED = "expired", "公示期满"
    SUPPRESSED = "suppressed", "依法不予公开"


class WithdrawalKind(models.TextChoices):
    """Why a published decision is withdrawn (G5, 处罚法第四十八条第二款)."""

    CHANGED = "changed", "决定被变更"
    REVOKED = "revoked", "决定被撤销"
    ILLEGAL = "illegal", "决定被确认违法"
    VOID = "void", "决定被确认无效"
    INACCURATE = "inaccurate", "公示信息不准确"


class Publication(models.Model):
    """One published matter: a decision or an inspection result of a case (G3)."""

    scope_path = "agency__path"

    agency = models.ForeignKey(
        "organizations.Organization",
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        related_name="publications",
    )
    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="publications"
    )
    event = models.OneToOneField(
        "cases.CaseEvent",
        verbose_name="决定事件",
        on_delete=models.PROTECT,
        related_name="publication",
        help_text="同一决定只生成一条公示（引擎重放或重复提交不会重复生成）。",
    )
    document = models.ForeignKey(
        "records.Document",
        verbose_name="决定文书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.CharField("公示类别", max_length=20, choices=Category.choices)
    decided_on = models.DateField("决定（结果）日期")
    due_on = models.DateField("公示期限届满日")
    due_provisional = models.BooleanField("期限暂定", default=False)
    deadline = models.ForeignKey(
        "cases.Deadline",
        verbose_name="公示期限",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("状态", max_length=20, choices=Status.choices, default=Status.DRAFT)
    suppressed_reason = models.CharField("不予公开的理由", max_length=300, blank=True)
    seriousness = models.CharField(
        "失信严重程度", max_length=10, choices=Seriousness.choices, default=Seriousness.GENERAL
    )
    display_until = models.DateField("公示截止日期", null=True, blank=True)
    published_at = models.DateTimeField("首次公示时间", null=True, blank=True)
    withdrawal_kind = models.CharField(
        "撤回原因类别", max_length=20, choices=WithdrawalKind.choices, blank=True
    )
    withdrawal_reason = models.TextField("撤回理由（公开）", blank=True)
    withdrawal_event = models.ForeignKey(
        "cases.CaseEvent",
        verbose_name="引起撤回的案件事件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    withdraw_due_on = models.DateField("撤回期限届满日", null=True, blank=True)
    withdraw_deadline = models.ForeignKey(
        "cases.Deadline",
        verbose_name="撤回期限",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="撤回人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    expired_at = models.DateTimeField("下线时间", null=True, blank=True)
    current = models.ForeignKey(
        "PublicationVersion",
        verbose_name="在公示的版本",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("生成时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "执法结果公示"
        ordering = ["-decided_on", "-pk"]
        indexes = [
            models.Index(fields=["status", "due_on"], name="publicity_status_due"),
            models.Index(fields=["status", "display_until"], name="publicity_status_until"),
        ]

    def __str__(self):
        return f"{self.get_category_display()}公示（{self.case.number or self.case_id}）"

    def get_absolute_url(self):
        return reverse("publicity:detail", args=[self.pk])


class VersionQuerySet(ScopedQuerySet):
    def update(self, **kwargs):
        raise ImmutableSnapshotError("公示版本不得修改；更正请生成新版本（G5）。")

    def delete(self):
        raise ImmutableSnapshotError("公示版本不得删除（G5）。")


class PublicationVersion(models.Model):
    """A snapshot of what is (to be) published. Editable only as a draft; frozen once approved."""

    scope_path = "publication__agency__path"

    publication = models.ForeignKey(
        Publication, verbose_name="公示", on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveSmallIntegerField("版本号")
    original = models.JSONField("原始内容（不公开）", default=dict)
    fields = models.JSONField("公示内容（已隐去个人信息）", default=dict)
    changes = models.JSONField("隐去处理记录", default=list)
    manual = models.JSONField("人工隐去", default=list, blank=True)
    detector_hits = models.PositiveIntegerField("未处理的识别结果", default=0)
    override_reason = models.TextField("保留识别结果的理由", blank=True)
    correction_reason = models.TextField("更正理由（公开）", blank=True)
    content_sha256 = models.CharField("内容摘要", max_length=64, blank=True)
    prepared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="生成人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    approved_at = models.DateTimeField("审核通过时间", null=True, blank=True)
    created_at = models.DateTimeField("生成时间", auto_now_add=True)

    objects = models.Manager.from_queryset(VersionQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "公示版本"
        ordering = ["publication", "number"]
        constraints = [
            models.UniqueConstraint(fields=["publication", "number"], name="publicity_version_number")
        ]

    def __str__(self):
        return f"{self.publication} 第{self.number}版"

    def save(self, *args, **kwargs):
        if self.pk and type(self).objects.filter(pk=self.pk, approved_at__isnull=False).exists():
            raise ImmutableSnapshotError("已审核公示的版本不得修改；更正请生成新版本（G5）。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableSnapshotError("公示版本不得删除（G5）。")


class PortalEntry(models.Model):
    """A publication as the portal shows it, copied from its approved snapshot.

    Rows are written only by ``publicity.services`` (approval, correction, withdrawal, expiry);
    the portal's search, detail pages, feeds and open data read nothing else.
    """

    publication = models.OneToOneField(
        Publication, verbose_name="公示", primary_key=True, on_delete=models.CASCADE, related_name="entry"
    )
    version = models.ForeignKey(
        PublicationVersion, verbose_name="版本", on_delete=models.PROTECT, related_name="+"
    )
    version_number = models.PositiveSmallIntegerField("版本号")
    agency = models.ForeignKey(
        "organizations.Organization", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    agency_name = models.CharField("执法主体名称", max_length=100)
    region_code = models.CharField("行政区划代码", max_length=6, blank=True)
    field = models.ForeignKey(
        "organizations.EnforcementField",
        verbose_name="执法领域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    category = models.CharField("公示类别", max_length=20, choices=Category.choices)
    withdrawn = models.BooleanField("已撤回", default=False)
    title = models.CharField("标题", max_length=300)
    party_name = models.CharField("行政相对人名称（公开）", max_length=200)
    document_number = models.CharField("文书文号", max_length=100, blank=True)
    decided_on = models.DateField("决定日期")
    display_until = models.DateField("公示截止日期", null=True, blank=True)
    amount = models.DecimalField("罚没金额（元）", max_digits=16, decimal_places=2, null=True, blank=True)
    fields = models.JSONField("公示内容")
    search_text = models.TextField("检索文本", blank=True)
    ledger_index = models.BigIntegerField("账本序号", null=True, blank=True)
    published_at = models.DateTimeField("公示时间")
    updated_at = models.DateTimeField("更新时间")

    class Meta:
        verbose_name = verbose_name_plural = "门户公示条目"
        ordering = ["-decided_on", "-publication_id"]
        indexes = [
            models.Index(fields=["-decided_on", "-publication"], name="portal_entry_recent"),
            models.Index(fields=["agency", "-decided_on"], name="portal_entry_agency"),
            models.Index(fields=["category", "-decided_on"], name="portal_entry_category"),
            models.Index(fields=["display_until"], name="portal_entry_until"),
            # open data synchronisation: ``order=updated&updated_since=…`` (keyset on both)
            models.Index(fields=["updated_at", "publication"], name="portal_entry_updated"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:decision_detail", args=[self.publication_id])


class ReportStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已公开并报送"


class AnnualReport(models.Model):
    """An agency's 年度行政执法数据 for one calendar year (G6: by 31 January; G11 counting)."""

    scope_path = "agency__path"

    agency = models.ForeignKey(
        "organizations.Organization",
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        related_name="annual_reports",
    )
    year = models.PositiveSmallIntegerField("年度")
    due_on = models.DateField("公开报送截止日")
    status = models.CharField("状态", max_length=20, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    statistics = models.JSONField("统计数据", default=dict)
    narrative = models.TextField("说明", blank=True)
    computed_at = models.DateTimeField("统计时间", null=True, blank=True)
    pdf = models.FileField("PDF", upload_to="annual-reports/%Y/", blank=True)
    pdf_sha256 = models.CharField("PDF 摘要", max_length=64, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="公开人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    published_at = models.DateTimeField("公开并报送时间", null=True, blank=True)
    submitted_to = models.JSONField("报送对象", default=list, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "年度行政执法数据"
        ordering = ["-year", "agency"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="publicity_report_year")]

    def __str__(self):
        return f"{self.agency}{self.year}年度行政执法数据"
