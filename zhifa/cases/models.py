"""案件, 当事人, 承办人员, the immutable event log, running deadlines, and the procedure
definitions and settings the engine runs on."""

from __future__ import annotations

from functools import cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from zhifa.core.scope import ScopedQuerySet
from zhifa.core.validators import validate_credit_code, validate_id_number

from . import rules


class ProcedureVersion(models.Model):
    """One effective-dated version of a procedure definition (stages, actions, deadlines, guards).

    The definition is data (``procedures/*.toml`` loaded by ``load_procedures``); a case keeps the
    version it was opened under, so a later change never rewrites the rules of a running case.
    """

    code = models.CharField("程序代码", max_length=40)
    version = models.PositiveSmallIntegerField("版本")
    name = models.CharField("程序名称", max_length=60)
    category = models.CharField("执法行为类别", max_length=20)
    effective_from = models.DateField("施行日期")
    definition = models.JSONField("定义")
    source_digest = models.CharField("定义摘要", max_length=64)
    loaded_at = models.DateTimeField("载入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法程序定义"
        ordering = ["code", "-version"]
        constraints = [models.UniqueConstraint(fields=["code", "version"], name="procedure_code_version")]

    def __str__(self):
        return f"{self.name}（第{self.version}版，{self.effective_from:%Y-%m-%d}施行）"


class ProcedureSetting(models.Model):
    """A value the statute leaves to fields or regions (hearing thresholds, 陈述申辩 period …).

    Lookup order: field + region, field, region, then the national default in ``rules``.
    """

    key = models.CharField("参数", max_length=60)
    value = models.DecimalField("取值", max_digits=14, decimal_places=2)
    field = models.ForeignKey(
        "organizations.EnforcementField",
        verbose_name="执法领域",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
    )
    region = models.ForeignKey(
        "organizations.Region", verbose_name="行政区划", null=True, blank=True, on_delete=models.CASCADE
    )
    basis = models.CharField("依据", max_length=300, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="修改人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField("修改时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "程序参数"
        # One value per key and scope; written as four partial constraints because SQLite has no
        # NULLS NOT DISTINCT.
        constraints = [
            models.UniqueConstraint(
                fields=["key", "field", "region"],
                name="setting_field_region",
                condition=models.Q(field__isnull=False, region__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["key", "field"],
                name="setting_field",
                condition=models.Q(field__isnull=False, region__isnull=True),
            ),
            models.UniqueConstraint(
                fields=["key", "region"],
                name="setting_region",
                condition=models.Q(field__isnull=True, region__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["key"],
                name="setting_national",
                condition=models.Q(field__isnull=True, region__isnull=True),
            ),
        ]

    def __str__(self):
        return f"{self.key}={self.value}"


class SettingsRevision(models.Model):
    """One row whose token changes with every change of a ProcedureSetting, so that a change saved
    by any worker replaces every worker's cached settings at once (see parameters.settings_for).

    A random token rather than a counter: a rolled-back transaction must never leave a number that
    a later, different change reuses while a worker still caches the old values under it.
    """

    token = models.UUIDField("版本")

    class Meta:
        verbose_name = verbose_name_plural = "程序参数版本"

    def __str__(self):
        return str(self.token)


class CaseSource(models.TextChoices):
    INSPECTION = "inspection", "检查发现"
    COMPLAINT = "complaint", "投诉举报"
    ASSIGNED = "assigned", "上级交办"
    TRANSFERRED = "transferred", "部门移送"
    OTHER = "other", "其他"


class CaseStatus(models.TextChoices):
    OPEN = "open", "办理中"
    CLOSED = "closed", "已结案"


class CaseQuerySet(ScopedQuerySet):
    def open(self):
        return self.filter(status=CaseStatus.OPEN)


class Case(models.Model):
    """An enforcement case under one procedure version. State changes only through the engine."""

    scope_path = "agency__path"

    agency = models.ForeignKey(
        "organizations.Organization", verbose_name="执法主体", on_delete=models.PROTECT, related_name="cases"
    )
    procedure = models.ForeignKey(ProcedureVersion, verbose_name="执法程序", on_delete=models.PROTECT)
    number = models.CharField("案号", max_length=60, blank=True)
    year = models.PositiveSmallIntegerField("年度")
    serial = models.PositiveIntegerField("序号", null=True, blank=True)
    source = models.CharField("案件来源", max_length=20, choices=CaseSource.choices)
    field = models.ForeignKey(
        "organizations.EnforcementField",
        verbose_name="执法领域",
        on_delete=models.PROTECT,
        related_name="cases",
    )
    region = models.ForeignKey(
        "organizations.Region", verbose_name="发生地", on_delete=models.PROTECT, related_name="cases"
    )
    power_item = models.ForeignKey(
        "powers.PowerItem",
        verbose_name="案由（权责清单事项）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    cause = models.CharField("案由", max_length=300)
    summary = models.TextField("案情摘要", blank=True)
    violation_date = models.DateField("违法行为发生日", null=True, blank=True)
    violation_continuing = models.BooleanField("违法行为有连续或者继续状态", default=False)
    violation_end_date = models.DateField("违法行为终了日", null=True, blank=True)
    endangers_safety = models.BooleanField(
        "涉及公民生命健康安全、金融安全且有危害后果",
        default=False,
        help_text="追责期限延长至五年（处罚法第三十六条）。",
    )
    discovered_on = models.DateField("发现日期")
    is_major = models.BooleanField("重大案件", default=False)
    is_complex = models.BooleanField("情节复杂", default=False)
    stage = models.CharField("阶段", max_length=40)
    status = models.CharField("状态", max_length=10, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    outcome = models.CharField("处理结果", max_length=40, blank=True)
    details = models.JSONField("办案数据", default=dict, blank=True)
    version = models.PositiveIntegerField("版本", default=1)
    # The sequence of the case's last event, kept with the row the engine locks so that recording
    # an event needs no read of the event log.
    last_sequence = models.PositiveIntegerField("最后事件序号", default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)
    closed_on = models.DateField("结案日期", null=True, blank=True)

    objects = models.Manager.from_queryset(CaseQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "案件"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "number"], condition=~models.Q(number=""), name="case_number_per_agency"
            ),
        ]
        indexes = [
            # The list: one agency's cases, newest first (and the same per status).
            models.Index(fields=["agency", "-created_at", "-id"], name="case_agency_recent"),
            models.Index(fields=["agency", "status", "-created_at"], name="case_agency_status"),
            models.Index(fields=["stage"], name="case_stage"),
        ]

    def __str__(self):
        return self.number or f"待立案（{self.cause}）"

    def get_absolute_url(self):
        return reverse("cases:case_detail", args=[self.pk])


class PartyKind(models.TextChoices):
    """The codes of :class:`zhifa.cases.rules.PartyKind`."""

    NATURAL_PERSON = "natural_person", "自然人"
    INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"
    LEGAL_PERSON = "legal_person", "法人"
    UNINCORPORATED = "unincorporated", "非法人组织"


class Party(models.Model):
    """当事人. 个体工商户 carry the operator's 身份证号 and, when registered, a 统一社会信用代码."""

    scope_path = "case__agency__path"

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="parties")
    kind = models.CharField("类型", max_length=20, choices=PartyKind.choices)
    name = models.CharField("姓名或名称", max_length=200)
    id_number = models.CharField("身份证号", max_length=18, blank=True, validators=[validate_id_number])
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, validators=[validate_credit_code]
    )
    legal_representative = models.CharField("法定代表人/负责人/经营者", max_length=50, blank=True)
    address = models.CharField("住所/地址", max_length=200, blank=True)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    birth_date = models.DateField("出生日期", null=True, blank=True, editable=False)

    objects = models.Manager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "当事人"
        ordering = ["id"]

    def __str__(self):
        return self.name


class CaseOfficer(models.Model):
    """An officer assigned to a case (P1: at least two who may enforce)."""

    scope_path = "case__agency__path"

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="assignments")
    officer = models.ForeignKey(
        "personnel.Officer",
        verbose_name="执法人员",
        on_delete=models.PROTECT,
        related_name="case_assignments",
    )
    is_lead = models.BooleanField("主办人", default=False)
    assigned_at = models.DateTimeField("指派时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "承办人员"
        ordering = ["-is_lead", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "officer"], name="case_officer_once")]

    def __str__(self):
        return f"{self.officer}{'（主办）' if self.is_lead else ''}"


class CaseEvent(models.Model):
    """One performed action. Never updated or deleted: corrections are new events."""

    scope_path = "case__agency__path"

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.PROTECT, related_name="events")
    sequence = models.PositiveIntegerField("序号")
    action = models.CharField("操作", max_length=40)
    action_name = models.CharField("操作名称", max_length=60)
    stage_before = models.CharField("操作前阶段", max_length=40)
    stage_after = models.CharField("操作后阶段", max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", on_delete=models.PROTECT, related_name="+"
    )
    occurred_at = models.DateTimeField("时间", auto_now_add=True)
    data = models.JSONField("内容", default=dict)
    request_key = models.CharField("请求标识", max_length=64)
    case_version = models.PositiveIntegerField("操作后版本")

    objects = models.Manager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "案件事件"
        ordering = ["case", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["case", "sequence"], name="case_event_sequence"),
            models.UniqueConstraint(fields=["case", "request_key"], name="case_event_request_once"),
        ]

    def __str__(self):
        return f"{self.sequence}. {self.action_name}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("案件事件一经记录不得修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise RuntimeError("案件事件一经记录不得删除。")


class DeadlineStatus(models.TextChoices):
    RUNNING = "running", "计时中"
    SUSPENDED = "suspended", "中止计算"
    MET = "met", "已完成"
    CANCELLED = "cancelled", "已撤销"


class WarningLevel(models.TextChoices):
    GREEN = "green", "正常"
    YELLOW = "yellow", "临近"
    RED = "red", "超期"


class DeadlineQuerySet(ScopedQuerySet):
    def running(self):
        return self.filter(status=DeadlineStatus.RUNNING)


class Deadline(models.Model):
    """A running statutory period of one case."""

    scope_path = "case__agency__path"

    case = models.ForeignKey(Case, verbose_name="案件", on_delete=models.CASCADE, related_name="deadlines")
    code = models.CharField("期限代码", max_length=40)
    name = models.CharField("期限名称", max_length=80)
    rule = models.CharField("规则", max_length=10)
    basis = models.CharField("依据", max_length=300)
    unit = models.CharField("计算方式", max_length=10, choices=[("work", "工作日"), ("natural", "自然日")])
    days = models.PositiveIntegerField("期限天数")
    starts_on = models.DateField("起算日（事件发生日）")
    due_on = models.DateField("届满日")
    provisional = models.BooleanField("暂定", default=False)
    status = models.CharField(
        "状态", max_length=10, choices=DeadlineStatus.choices, default=DeadlineStatus.RUNNING
    )
    level = models.CharField("预警", max_length=10, choices=WarningLevel.choices, default=WarningLevel.GREEN)
    extended_days = models.PositiveIntegerField("延长天数", default=0)
    suspended_days = models.PositiveIntegerField("中止天数", default=0)
    suspended_since = models.DateField("中止起始日", null=True, blank=True)
    opened_by_event = models.ForeignKey(
        CaseEvent,
        verbose_name="起算事件",
        null=True,
        on_delete=models.PROTECT,
        related_name="opened_deadlines",
    )
    closed_by_event = models.ForeignKey(
        CaseEvent,
        verbose_name="完成事件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="closed_deadlines",
    )

    objects = models.Manager.from_queryset(DeadlineQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "办案期限"
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["status", "level", "due_on"], name="deadline_status_level"),
            # "cases having a running deadline at level X" probes this per case.
            models.Index(fields=["case", "status", "level"], name="deadline_case_status_level"),
        ]

    def __str__(self):
        return f"{self.name}：{self.due_on:%Y-%m-%d}届满"


class DeadlineChange(models.Model):
    """An approved extension, or a suspension interval (检测、鉴定、听证、公告 …)."""

    scope_path = "deadline__case__agency__path"

    deadline = models.ForeignKey(
        Deadline, verbose_name="期限", on_delete=models.CASCADE, related_name="changes"
    )
    kind = models.CharField(
        "类型", max_length=10, choices=[("extend", "延长"), ("suspend", "中止"), ("resume", "恢复")]
    )
    days = models.PositiveIntegerField("天数", default=0)
    reason = models.CharField("理由", max_length=300)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="批准人", on_delete=models.PROTECT, related_name="+"
    )
    event = models.ForeignKey(
        CaseEvent, verbose_name="事件", on_delete=models.PROTECT, related_name="deadline_changes"
    )

    class Meta:
        verbose_name = verbose_name_plural = "期限变更"

    def __str__(self):
        return f"{self.get_kind_display()}{self.days}日：{self.reason}"


@cache
def _bundled_procedures() -> tuple[tuple[str, str], ...]:
    from .definitions import bundled

    names: dict[str, tuple[int, str]] = {}
    for raw, _digest in bundled():
        if raw["code"] not in names or raw["version"] > names[raw["code"]][0]:
            names[raw["code"]] = (raw["version"], raw["name"])
    return tuple((code, name) for code, (_version, name) in sorted(names.items()))


def procedure_choices() -> list[tuple[str, str]]:
    """Every bundled procedure: each one numbers its cases (at registration or at 立案)."""
    return list(_bundled_procedures())


class CaseNumberPattern(models.Model):
    """How one agency writes the 案号 of one procedure's cases; without a row the procedure
    definition's ``number_pattern`` is used. The sequence is per agency, procedure and year
    whatever the pattern, so changing the pattern mid-year continues the numbering."""

    scope_path = "agency__path"

    agency = models.ForeignKey(
        "organizations.Organization",
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        limit_choices_to={"kind": "agency"},
        related_name="case_number_patterns",
    )
    procedure_code = models.CharField("执法程序", max_length=40, choices=procedure_choices)
    pattern = models.CharField(
        "案号格式",
        max_length=60,
        help_text="占位符：{简称} 机关简称，{年} 年份，{序号} 当年顺序号；程序代字直接写入，"
        "例如 {简称}罚立〔{年}〕{序号}号 → 示市监罚立〔2026〕12号。",
    )
    pad_width = models.PositiveSmallIntegerField(
        "序号位数", default=0, help_text="序号不足位数时前补零，如 3 位：012；0 表示不补零。"
    )
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = models.Manager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "案号格式"
        ordering = ["agency__path", "procedure_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "procedure_code"],
                name="case_number_pattern_agency_procedure",
                violation_error_message="该执法主体已设置此程序的案号格式，请直接修改。",
            ),
        ]

    def __str__(self):
        return f"{self.agency} · {self.get_procedure_code_display()}：{self.pattern}"

    def clean(self):
        errors = {}
        if pattern_errors := rules.case_number_pattern_errors(self.pattern):
            errors["pattern"] = pattern_errors
        if pad_error := rules.pad_width_error(self.pad_width or 0):
            errors["pad_width"] = pad_error
        if self.agency_id and self.agency.kind != "agency":
            errors["agency"] = "案号格式只能为执法主体设置。"
        if errors:
            raise ValidationError(errors)
