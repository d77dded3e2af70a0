"""文书: replaceable templates, 文号 patterns, and issued documents (immutable once issued)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from zhifa.core.scope import ScopedQuerySet

from . import rules
from .kinds import KIND_CHOICES, KINDS

BUILTIN_VERSION = 0  # the default template shipped in templates_docx/


class DocumentTemplate(models.Model):
    """An uploaded version of a kind's template. Versions are never deleted: replacing one
    deactivates the previous version, so every issued document can name the version it used."""

    kind = models.CharField("文书种类", max_length=40, choices=KIND_CHOICES)
    version = models.PositiveIntegerField("版本")
    file = models.FileField("模板文件", upload_to="records/templates/%Y/")
    sha256 = models.CharField("SHA-256", max_length=64)
    is_active = models.BooleanField("当前使用", default=False)
    note = models.CharField("说明", max_length=200, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField("上传时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "文书模板"
        ordering = ["kind", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="records_template_kind_version"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(is_active=True), name="records_template_one_active"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} 第{self.version}版"


class NumberPatternQuerySet(ScopedQuerySet):
    def national(self):
        return self.filter(agency__isnull=True)


class NumberPattern(models.Model):
    """How an agency (or, with no agency, the whole deployment) numbers one kind of document."""

    scope_path = "agency__path"

    agency = models.ForeignKey(
        "organizations.Organization",
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        limit_choices_to={"kind": "agency"},
        related_name="number_patterns",
        help_text="留空表示全国默认格式，各执法主体未单独设置时使用。",
    )
    kind = models.CharField("文书种类", max_length=40, choices=KIND_CHOICES)
    pattern = models.CharField(
        "文号格式",
        max_length=80,
        default=rules.DEFAULT_PATTERN,
        help_text="占位符：{简称} 机关简称，{缩写} 文书代字，{年} 年份，{序号} 当年顺序号。"
        "例如 {简称}{缩写}〔{年}〕{序号}号 → 示市监罚决〔2026〕12号。",
    )
    abbreviation = models.CharField(
        "文书代字", max_length=20, blank=True, help_text="填入 {缩写} 的文字；留空使用系统默认代字。"
    )
    pad_width = models.PositiveSmallIntegerField(
        "序号位数", default=0, help_text="序号不足位数时前补零，如 3 位：012；0 表示不补零。"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = NumberPatternQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "文号格式"
        ordering = ["agency__path", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind"], name="records_pattern_agency_kind"),
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(agency__isnull=True), name="records_pattern_national_kind"
            ),
        ]

    def __str__(self):
        return f"{self.agency or '全国默认'} · {self.get_kind_display()}：{self.pattern}"

    @property
    def effective_abbreviation(self) -> str:
        return self.abbreviation or KINDS[self.kind].abbreviation

    def clean(self):
        errors = {}
        if self.kind and self.kind in KINDS and not KINDS[self.kind].numbered:
            errors["kind"] = f"{KINDS[self.kind].name}不编文号，无需设置文号格式。"
        if pattern_errors := rules.pattern_errors(self.pattern, self.pad_width or 0):
            errors["pattern"] = pattern_errors
        if self.agency_id and self.agency.kind != "agency":
            errors["agency"] = "文号格式只能为执法主体设置。"
        if errors:
            raise ValidationError(errors)


class IssuedDocumentError(Exception):
    pass


class DocumentQuerySet(ScopedQuerySet):
    """Issued documents are records: they are not updated or deleted, even in bulk."""

    def update(self, **kwargs):
        raise IssuedDocumentError("已出具的文书不能修改；如需更正，请出具新的文书并注明所更正的文书。")

    def delete(self):
        raise IssuedDocumentError("已出具的文书不能删除。")

    def fill_pending_pdf(self, name: str, sha256: str) -> int:
        """The one permitted change: store the PDF of a document issued with its PDF still to be
        rendered. Only rows whose PDF is empty match, so an issued PDF is never replaced."""
        return models.QuerySet.update(self.filter(pdf=""), pdf=name, pdf_sha256=sha256)


class Document(models.Model):
    """An issued 文书: the rendered docx and PDF, their hashes and the data they were made from."""

    scope_path = "agency__path"

    kind = models.CharField("文书种类", max_length=40, choices=KIND_CHOICES)
    number = models.CharField("文号", max_length=80, blank=True)
    agency = models.ForeignKey(
        "organizations.Organization",
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        related_name="documents",
    )
    # The case is referred to loosely so that this app does not depend on the case models.
    case_id = models.BigIntegerField("案件ID", null=True, blank=True, db_index=True)
    case_label = models.CharField("案件", max_length=200, blank=True)
    issued_on = models.DateField("文书日期")
    docx = models.FileField("Word文件", upload_to="records/documents/%Y/%m/")
    docx_sha256 = models.CharField("Word文件SHA-256", max_length=64)
    # Empty while the PDF is being rendered in the background (see services.render_pending_pdf).
    pdf = models.FileField("PDF文件", upload_to="records/documents/%Y/%m/", blank=True)
    pdf_sha256 = models.CharField("PDF文件SHA-256", max_length=64, blank=True)
    context = models.JSONField("文书数据快照")
    template_version = models.PositiveIntegerField("模板版本", help_text="0 表示系统内置模板。")
    replaces = models.ForeignKey(
        "self",
        verbose_name="更正的文书",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrections",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="出具人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("出具时间", auto_now_add=True)

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "执法文书"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"],
                condition=~models.Q(number=""),
                name="records_document_unique_number",
            ),
        ]
        indexes = [models.Index(fields=["agency", "kind", "issued_on"])]

    def __str__(self):
        return f"{self.get_kind_display()} {self.number}".strip()

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise IssuedDocumentError("已出具的文书不能修改；如需更正，请出具新的文书并注明所更正的文书。")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("records:document_detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise IssuedDocumentError("已出具的文书不能删除。")

    @property
    def title(self) -> str:
        return KINDS[self.kind].name

    @property
    def pdf_pending(self) -> bool:
        return not self.pdf
