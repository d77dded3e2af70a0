"""“双随机、一公开”: the 检查对象名录, 抽查任务, each recorded draw, the drawn targets with their
officers (and the case each became), and 回避 declarations.

A draw is never edited: a new draw (with its reason) supersedes the old one, and both stay on
record, so nobody can quietly draw until a convenient result appears.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from zhifa.core.scope import ScopedManager
from zhifa.core.validators import validate_credit_code, validate_id_number


class TargetKind(models.TextChoices):
    """The codes of :class:`zhifa.cases.models.PartyKind` that a 市场主体 can be."""

    LEGAL_PERSON = "legal_person", "法人"
    UNINCORPORATED = "unincorporated", "非法人组织"
    INDIVIDUAL_BUSINESS = "individual_business", "个体工商户"


class InspectionTarget(models.Model):
    """An entry of the 检查对象名录 an agency draws from."""

    scope_path = "agency__path"

    agency = models.ForeignKey(
        "organizations.Organization",
        verbose_name="名录所属执法主体",
        on_delete=models.PROTECT,
        related_name="inspection_targets",
    )
    name = models.CharField("名称", max_length=200)
    kind = models.CharField("主体类型", max_length=20, choices=TargetKind.choices)
    credit_code = models.CharField("统一社会信用代码", max_length=18, validators=[validate_credit_code])
    legal_representative = models.CharField("法定代表人/负责人/经营者", max_length=50, blank=True)
    operator_id_number = models.CharField(
        "经营者身份证号",
        max_length=18,
        blank=True,
        validators=[validate_id_number],
        help_text="个体工商户填写（GB 11643）；不公开。",
    )
    category = models.CharField(
        "对象类别",
        max_length=100,
        blank=True,
        help_text="如“食品经营者”“食品生产企业”，抽查任务可按类别抽取。",
    )
    field = models.ForeignKey(
        "organizations.EnforcementField", verbose_name="监管领域", on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "organizations.Region", verbose_name="所在行政区划", on_delete=models.PROTECT, related_name="+"
    )
    address = models.CharField("住所（经营场所）", max_length=200)
    phone = models.CharField("联系电话", max_length=30, blank=True)
    is_active = models.BooleanField("在营（参与抽取）", default=True)
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "检查对象"
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "credit_code"], name="inspection_target_code_once"),
        ]
        indexes = [models.Index(fields=["agency", "field", "is_active"], name="inspection_target_pool")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:target_update", args=[self.pk])

    def clean(self):
        if self.credit_code:
            self.credit_code = self.credit_code.strip().upper()
        if self.operator_id_number:
            self.operator_id_number = self.operator_id_number.strip().upper()
        if self.kind == TargetKind.INDIVIDUAL_BUSINESS and not self.operator_id_number:
            raise ValidationError(
                {
                    "operator_id_number": "个体工商户须填写经营者的公民身份号码（GB 11643），转为案件当事人时需要。"
                }
            )

    def party_data(self) -> dict:
        """This target as a case party (cases.services.add_party)."""
        return {
            "kind": self.kind,
            "name": self.name,
            "credit_code": self.credit_code,
            "id_number": self.operator_id_number,
            "legal_representative": self.legal_representative,
            "address": self.address,
            "phone": self.phone,
        }


class TaskStatus(models.TextChoices):
    DRAFT = "draft", "待抽取"
    DRAWN = "drawn", "已抽取待确认"
    CONFIRMED = "confirmed", "已确认（检查实施中）"


class InspectionTask(models.Model):
    """抽查任务: which 抽查事项, which part of the 名录, how many targets, how many officers each."""

    scope_path = "agency__path"

    agency = models.ForeignKey(
        "organizations.Organization",
        verbose_name="检查主体",
        on_delete=models.PROTECT,
        related_name="inspection_tasks",
    )
    name = models.CharField("任务名称", max_length=200)
    items = models.ManyToManyField(
        "powers.InspectionItem", verbose_name="抽查事项", related_name="inspection_tasks"
    )
    field = models.ForeignKey(
        "organizations.EnforcementField", verbose_name="监管领域", on_delete=models.PROTECT, related_name="+"
    )
    region = models.ForeignKey(
        "organizations.Region",
        verbose_name="抽查区域",
        on_delete=models.PROTECT,
        related_name="+",
        help_text="该区划及其下级区划的检查对象参与抽取。",
    )
    target_category = models.CharField(
        "对象类别", max_length=100, blank=True, help_text="只抽取该类别的检查对象；留空为全部类别。"
    )
    period_start = models.DateField("检查开始日期")
    period_end = models.DateField("检查结束日期")
    sample_count = models.PositiveIntegerField("抽取数量", null=True, blank=True)
    sample_ratio = models.DecimalField("抽取比例（%）", max_digits=5, decimal_places=2, null=True, blank=True)
    officers_per_target = models.PositiveSmallIntegerField(
        "每个对象选派执法人员数", default=2, help_text="不少于2名（处罚法第四十二条）。"
    )
    status = models.CharField("状态", max_length=12, choices=TaskStatus.choices, default=TaskStatus.DRAFT)
    note = models.TextField("说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="创建人", on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="确认人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "抽查任务"
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["agency", "-created_at"], name="inspection_task_recent")]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("inspections:task_detail", args=[self.pk])

    @property
    def sample_label(self) -> str:
        if self.sample_count:
            return f"{self.sample_count}户"
        if self.sample_ratio is not None:
            return f"{self.sample_ratio.normalize():f}%"
        return "—"


class InspectionDraw(models.Model):
    """One recorded draw: the seed, the candidate pools it drew from and who drew it. Enough to
    recompute the result (``rules.draw``) and see that it was not chosen by hand."""

    scope_path = "task__agency__path"

    task = models.ForeignKey(
        InspectionTask, verbose_name="抽查任务", on_delete=models.PROTECT, related_name="draws"
    )
    sequence = models.PositiveSmallIntegerField("第几次抽取")
    seed = models.CharField("随机种子", max_length=64)
    target_pool = models.JSONField("候选检查对象（编号）", default=list)
    officer_pool = models.JSONField("候选执法人员（编号，已排除不能执法的人员）", default=list)
    excluded_officers = models.JSONField("未列入候选的执法人员及原因", default=list)
    sample_size = models.PositiveIntegerField("抽取数量")
    officers_per_target = models.PositiveSmallIntegerField("每个对象选派执法人员数")
    reason = models.CharField("重新抽取的理由", max_length=300, blank=True)
    is_current = models.BooleanField("有效", default=True)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="抽取人", on_delete=models.PROTECT, related_name="+"
    )
    drawn_on = models.DateField("抽取日期（资格判断日）")
    drawn_at = models.DateTimeField("抽取时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "抽取记录"
        ordering = ["task", "sequence"]
        constraints = [models.UniqueConstraint(fields=["task", "sequence"], name="inspection_draw_sequence")]

    def __str__(self):
        return f"{self.task}·第{self.sequence}次抽取"

    @property
    def target_pool_size(self) -> int:
        return len(self.target_pool)

    @property
    def officer_pool_size(self) -> int:
        return len(self.officer_pool)


class InspectionAssignment(models.Model):
    """A drawn target with the officers drawn for it, and (after confirmation) its case."""

    scope_path = "task__agency__path"

    task = models.ForeignKey(
        InspectionTask, verbose_name="抽查任务", on_delete=models.PROTECT, related_name="assignments"
    )
    draw = models.ForeignKey(
        InspectionDraw, verbose_name="抽取记录", on_delete=models.PROTECT, related_name="assignments"
    )
    position = models.PositiveIntegerField("抽取顺序")
    target = models.ForeignKey(
        InspectionTarget, verbose_name="检查对象", on_delete=models.PROTECT, related_name="assignments"
    )
    officer_ids = models.JSONField("选派的执法人员（编号，第一位为主办）", default=list)
    case = models.OneToOneField(
        "cases.Case",
        verbose_name="检查案件",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspection_assignment",
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "抽中的检查对象"
        ordering = ["draw", "position"]
        constraints = [
            models.UniqueConstraint(fields=["draw", "target"], name="inspection_assignment_once"),
            models.UniqueConstraint(fields=["draw", "position"], name="inspection_assignment_position"),
        ]

    def __str__(self):
        return f"{self.position}. {self.target}"


class Recusal(models.Model):
    """回避: an officer's conflict of interest with a drawn target, and who replaced them
    (《中华人民共和国行政处罚法》第四十三条)."""

    scope_path = "assignment__task__agency__path"

    assignment = models.ForeignKey(
        InspectionAssignment, verbose_name="抽中的检查对象", on_delete=models.PROTECT, related_name="recusals"
    )
    officer = models.ForeignKey(
        "personnel.Officer", verbose_name="回避的执法人员", on_delete=models.PROTECT, related_name="+"
    )
    replacement = models.ForeignKey(
        "personnel.Officer",
        verbose_name="重新选派的执法人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reason = models.CharField("回避理由", max_length=300)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField("登记时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "回避记录"
        ordering = ["assignment", "id"]
        constraints = [
            models.UniqueConstraint(fields=["assignment", "officer"], name="inspection_recusal_once"),
        ]

    def __str__(self):
        return f"{self.officer}回避{self.assignment.target}"
