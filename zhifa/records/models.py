"""文书: replaceable templates, 文号 patterns, and issued documents (immutable once issued)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from zhifa.core.scope import ScopedManager, ScopedQuerySet

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


# --- Evidence (证据) and audio/video records -------------------------------------------------------
class EvidenceKind(models.TextChoices):
    """The eight kinds of evidence of 《行政处罚法》第四十六条 (P4)."""

    DOCUMENTARY = "documentary", "书证"
    PHYSICAL = "physical", "物证"
    AUDIOVISUAL = "audiovisual", "视听资料"
    ELECTRONIC = "electronic", "电子数据"
    WITNESS = "witness", "证人证言"
    PARTY_STATEMENT = "party_statement", "当事人的陈述"
    EXPERT_OPINION = "expert_opinion", "鉴定意见"
    INSPECTION_RECORD = "inspection_record", "勘验笔录、现场笔录"


class MediaType(models.TextChoices):
    PHOTO = "photo", "照片"
    AUDIO = "audio", "录音"
    VIDEO = "video", "录像"
    DOCUMENT = "document", "文档"
    DATA = "data", "电子数据文件"


class ImmutableRecordError(Exception):
    pass


class AppendOnlyQuerySet(ScopedQuerySet):
    """Evidence and its stored bytes are never deleted (R5); retiring is a recorded event."""

    def delete(self):
        raise ImmutableRecordError("证据及其文件不得删除；如需停用，请注销并说明理由（R5）。")


class Blob(models.Model):
    """Stored bytes, addressed by their hash: the same bytes are stored once."""

    algorithm = models.CharField("摘要算法", max_length=10)
    digest = models.CharField("摘要值", max_length=128)
    size = models.BigIntegerField("字节数")
    storage_name = models.CharField("存储路径", max_length=300, unique=True)
    created_at = models.DateTimeField("存储时间", auto_now_add=True)

    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "证据文件"
        constraints = [models.UniqueConstraint(fields=["algorithm", "digest"], name="records_blob_digest")]

    def __str__(self):
        return f"{self.algorithm}:{self.digest}"

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("证据文件不得删除（R5）。")


class EvidenceQuerySet(AppendOnlyQuerySet):
    def active(self):
        return self.filter(retired_at__isnull=True)


class Evidence(models.Model):
    """One piece of evidence of a case (P4), with its capture metadata and R3 timeliness."""

    scope_path = "case__agency__path"

    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="evidence"
    )
    kind = models.CharField("证据种类", max_length=20, choices=EvidenceKind.choices)
    media_type = models.CharField("载体", max_length=10, choices=MediaType.choices)
    title = models.CharField("名称", max_length=200)
    description = models.TextField("说明", blank=True)
    captured_at = models.DateTimeField("采集时间")
    captured_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="采集人", on_delete=models.PROTECT, related_name="+"
    )
    device = models.CharField("采集设备", max_length=200, blank=True)
    location = models.CharField("采集地点", max_length=200, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    stage = models.CharField("办案阶段", max_length=40, blank=True)
    activity = models.CharField(
        "执法活动（音像记录事项）",
        max_length=40,
        blank=True,
        help_text="音像记录事项清单中的事项代码（R2）。",
    )
    event = models.ForeignKey(
        "cases.CaseEvent",
        verbose_name="所属办案环节",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    original_filename = models.CharField("原文件名", max_length=255)
    content_type = models.CharField("文件类型", max_length=120)
    blob = models.ForeignKey(Blob, verbose_name="文件", on_delete=models.PROTECT, related_name="evidence")
    uploaded_at = models.DateTimeField("上传时间")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    upload_due_on = models.DateField("应上传截止日（R3）")
    is_late = models.BooleanField("逾期上传（R3）", default=False)
    days_late = models.PositiveIntegerField("逾期工作日数", default=0)
    late_provisional = models.BooleanField("逾期计算暂定（D4）", default=False)
    request_key = models.CharField("请求标识", max_length=64)
    retired_at = models.DateTimeField("注销时间", null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="注销人",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    retired_reason = models.TextField("注销理由", blank=True)

    objects = models.Manager.from_queryset(EvidenceQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "证据"
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["uploaded_by", "request_key"], name="records_evidence_request_once"
            ),
        ]
        indexes = [
            models.Index(fields=["case", "-uploaded_at"], name="evidence_case_recent"),
            models.Index(fields=["is_late", "captured_by"], name="evidence_late_officer"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}：{self.title}"

    def get_absolute_url(self):
        return reverse("records:evidence_detail", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("证据不得删除；如需停用，请注销并说明理由（R5）。")

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None


class AccessAction(models.TextChoices):
    UPLOAD = "upload", "上传"
    VIEW = "view", "查看"
    DOWNLOAD = "download", "下载"
    RETIRE = "retire", "注销"


class EvidenceAccess(models.Model):
    """The chain of custody: every upload, view, download and retirement of a piece of evidence."""

    scope_path = "evidence__case__agency__path"

    evidence = models.ForeignKey(
        Evidence, verbose_name="证据", on_delete=models.PROTECT, related_name="accesses"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="人员", on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField("时间", auto_now_add=True)
    action = models.CharField("操作", max_length=10, choices=AccessAction.choices)
    reason = models.CharField("事由", max_length=300, blank=True)
    ip_address = models.GenericIPAddressField("IP地址", null=True, blank=True)

    objects = models.Manager.from_queryset(AppendOnlyQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "证据调阅记录"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["evidence", "-at"], name="evidence_access_recent")]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.evidence_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRecordError("调阅记录一经记录不得修改（R5）。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRecordError("调阅记录不得删除（R5）。")


class EvidenceUpload(models.Model):
    """The state of one resumable (tus 1.0) upload; the bytes received so far are staged on local
    disk (see tus.py). Becomes an Evidence row when the last byte arrives."""

    scope_path = "case__agency__path"

    id = models.UUIDField(primary_key=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="+")
    length = models.BigIntegerField("声明字节数")
    offset = models.BigIntegerField("已接收字节数", default=0)
    metadata = models.JSONField("元数据", default=dict)
    algorithm = models.CharField("摘要算法", max_length=10)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    expires_at = models.DateTimeField("过期时间")
    evidence = models.OneToOneField(
        Evidence,
        verbose_name="形成的证据",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="upload",
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "断点续传上传"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.metadata.get('filename', self.id)}（{self.offset}/{self.length}）"


# --- 音像记录事项清单 (R2) ---------------------------------------------------------------------
class RecordingRequirement(models.TextChoices):
    FULL = "full", "全程音像记录"
    AS_NEEDED = "as_needed", "根据实际情况进行音像记录"


class RecordingRule(models.Model):
    """One activity of the 音像记录事项清单: whether audio/video is required and how long it is kept
    (R2). Procedure definitions name these codes in each action's ``recordings``."""

    code = models.CharField("事项代码", max_length=40, unique=True)
    name = models.CharField("执法活动", max_length=100)
    requirement = models.CharField("记录要求", max_length=20, choices=RecordingRequirement.choices)
    retention = models.CharField("保存期限", max_length=100, help_text="如“作为证据使用的，随案卷永久保存”。")
    basis = models.CharField("依据", max_length=300)
    order = models.PositiveSmallIntegerField("排序", default=0)
    is_active = models.BooleanField("有效", default=True)

    class Meta:
        verbose_name = verbose_name_plural = "音像记录事项清单"
        ordering = ["order", "id"]

    def __str__(self):
        return f"{self.name}（{self.get_requirement_display()}）"

    @property
    def required(self) -> bool:
        return self.requirement == RecordingRequirement.FULL


class RecordingException(models.Model):
    """Why an action that requires full audio/video could not be recorded, and the head's approval
    (R2). Never edited after the decision."""

    scope_path = "case__agency__path"

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="+")
    action = models.CharField("办案操作", max_length=40)
    rule = models.ForeignKey(
        RecordingRule, verbose_name="音像记录事项", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField("未能音像记录的原因")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="说明人", on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField("说明时间", auto_now_add=True)
    approved = models.BooleanField("批准", null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    decision_note = models.TextField("审批意见", blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "音像记录例外说明"
        ordering = ["-requested_at", "id"]
        indexes = [models.Index(fields=["case", "action"], name="recording_exception_case")]

    def __str__(self):
        return f"{self.case}：{self.rule.name}未能音像记录"


# --- 案卷, 归档 and 调阅 (R4, R5) ----------------------------------------------------------------
class Dossier(models.Model):
    """One assembled 案卷 PDF of a case (cover, index, 文书, evidence list, 备考表), kept per version."""

    scope_path = "case__agency__path"

    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="dossiers"
    )
    version = models.PositiveIntegerField("版本")
    pdf = models.FileField("案卷PDF", upload_to="dossiers/%Y/")
    sha256 = models.CharField("SHA-256", max_length=64)
    pages = models.PositiveIntegerField("卷内页数")
    contents = models.JSONField("卷内目录")
    generated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="组卷人", null=True, on_delete=models.PROTECT, related_name="+"
    )
    generated_at = models.DateTimeField("组卷时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "案卷"
        ordering = ["case", "-version"]
        constraints = [models.UniqueConstraint(fields=["case", "version"], name="dossier_case_version")]

    def __str__(self):
        return f"{self.case}案卷（第{self.version}版）"


class CaseArchive(models.Model):
    """归档 (R4): the case is frozen; only annotations are added afterwards."""

    scope_path = "case__agency__path"

    case = models.OneToOneField(
        "cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="archive"
    )
    number = models.CharField("档号", max_length=60, unique=True)
    dossier = models.ForeignKey(Dossier, verbose_name="归档案卷", on_delete=models.PROTECT, related_name="+")
    retention = models.CharField("保管期限", max_length=20)
    archived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="归档人", on_delete=models.PROTECT, related_name="+"
    )
    archived_at = models.DateTimeField("归档时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "归档"
        ordering = ["-archived_at"]

    def __str__(self):
        return self.number


class CaseAnnotation(models.Model):
    """A note on an archived case: the only change allowed after 归档."""

    scope_path = "case__agency__path"

    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="annotations"
    )
    text = models.TextField("备注")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="备注人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("备注时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "案卷备注"
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"{self.case}：{self.text[:20]}"


class AccessScope(models.TextChoices):
    ALL = "all", "全部案卷材料"
    DOCUMENTS = "documents", "执法文书"
    EVIDENCE = "evidence", "证据和音像记录"


class ArchiveAccess(models.Model):
    """调阅 (R5): a request to read an archived case, the keeper's decision and its time limit."""

    scope_path = "case__agency__path"

    case = models.ForeignKey(
        "cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="archive_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="申请人", on_delete=models.PROTECT, related_name="+"
    )
    reason = models.CharField("调阅事由", max_length=300)
    scope = models.CharField("调阅范围", max_length=20, choices=AccessScope.choices)
    days = models.PositiveSmallIntegerField("调阅天数")
    requested_at = models.DateTimeField("申请时间", auto_now_add=True)
    approved = models.BooleanField("批准", null=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审批人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    decided_at = models.DateTimeField("审批时间", null=True, blank=True)
    note = models.CharField("审批意见", max_length=300, blank=True)
    valid_until = models.DateTimeField("有效期至", null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "案卷调阅"
        ordering = ["-requested_at", "id"]
        permissions = [("keep_archive", "管理档案（审批调阅）")]

    def __str__(self):
        return f"{self.case}调阅（{self.requested_by}）"


class ArchiveAccessLog(models.Model):
    """Every read of an archived case's material (R5)."""

    scope_path = "case__agency__path"

    case = models.ForeignKey("cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="+")
    access = models.ForeignKey(
        ArchiveAccess,
        verbose_name="调阅申请",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="log",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="调阅人", on_delete=models.PROTECT, related_name="+"
    )
    what = models.CharField("调阅内容", max_length=200)
    at = models.DateTimeField("时间", auto_now_add=True)
    ip = models.GenericIPAddressField("IP地址", null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "调阅记录"
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.user} {self.what}"
