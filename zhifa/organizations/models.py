"""行政区划, 人民政府, 执法主体 and 内设机构 as one tree, plus 委托协议 and the 执法领域 dictionary."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from zhifa.core.scope import ScopedQuerySet
from zhifa.core.validators import validate_credit_code, validate_phone, validate_region_code

from . import rules


class Region(models.Model):
    """A GB/T 2260 行政区划. The hierarchy is explicit (``parent``) and agrees with the code."""

    code = models.CharField("行政区划代码", max_length=6, unique=True, validators=[validate_region_code])
    name = models.CharField("名称", max_length=50)
    parent = models.ForeignKey(
        "self",
        verbose_name="上级区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        verbose_name = verbose_name_plural = "行政区划"
        ordering = ["code"]

    def __str__(self):
        return f"{self.name}（{self.code}）"

    @property
    def level(self) -> str:
        return rules.region_level_label(self.code)

    def clean(self):
        if self.parent and (error := rules.region_parent_error(self.code, self.parent.code)):
            raise ValidationError({"parent": error})


class EnforcementField(models.Model):
    """执法领域 / 执法类别 dictionary (市场监管, 生态环境 …); certificates and agencies refer to it."""

    code = models.CharField("代码", max_length=20, unique=True)
    name = models.CharField("名称", max_length=50, unique=True)
    order = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        verbose_name = verbose_name_plural = "执法领域"
        ordering = ["order", "code"]

    def __str__(self):
        return self.name


class OrgKind(models.TextChoices):
    GOVERNMENT = "government", "人民政府"
    AGENCY = "agency", "执法主体"
    DEPARTMENT = "department", "内设机构"


class SubjectKind(models.TextChoices):
    ADMINISTRATIVE_ORGAN = "organ", "行政机关"
    AUTHORIZED = "authorized", "法律法规授权组织"
    ENTRUSTED = "entrusted", "受委托组织"


class OrganizationQuerySet(MP_NodeQuerySet, ScopedQuerySet):
    def agencies(self):
        return self.filter(kind=OrgKind.AGENCY)


class OrganizationManager(MP_NodeManager):
    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")

    def for_user(self, user):
        return self.get_queryset().for_user(user)

    def agencies(self):
        return self.get_queryset().agencies()


class Organization(MP_Node):
    """A node of the organization tree: 人民政府 → 执法主体 → 内设机构.

    The materialized path makes every subtree one indexed prefix query, however large the tree.
    """

    steplen = 4
    scope_path = "path"

    kind = models.CharField("类型", max_length=20, choices=OrgKind.choices)
    name = models.CharField("名称", max_length=100)
    short_name = models.CharField(
        "简称", max_length=30, blank=True, help_text="用于文号、案号，如“历下市监”。"
    )
    region = models.ForeignKey(
        Region, verbose_name="行政区划", on_delete=models.PROTECT, related_name="organizations"
    )
    # 执法主体 details (blank for governments and 内设机构)
    subject_kind = models.CharField("主体性质", max_length=20, choices=SubjectKind.choices, blank=True)
    credit_code = models.CharField(
        "统一社会信用代码", max_length=18, blank=True, validators=[validate_credit_code]
    )
    fields = models.ManyToManyField(
        EnforcementField, verbose_name="执法领域", blank=True, related_name="organizations"
    )
    address = models.CharField("地址", max_length=200, blank=True)
    complaint_phone = models.CharField("投诉举报电话", max_length=40, blank=True, validators=[validate_phone])
    website = models.URLField("网站", blank=True)
    legal_basis = models.TextField("设立依据/职责依据", blank=True)
    duties = models.TextField("主要职责", blank=True)
    is_legal_office = models.BooleanField(
        "政府法制机构（司法局）", default=False, help_text="承担本级政府行政执法监督职责的机构。"
    )
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = OrganizationManager()

    class Meta:
        verbose_name = verbose_name_plural = "组织机构"
        constraints = [
            models.UniqueConstraint(
                fields=["credit_code"], condition=~models.Q(credit_code=""), name="org_unique_credit_code"
            ),
        ]
        indexes = [models.Index(fields=["kind", "path"])]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:organization_detail", args=[self.pk])

    # --- tree helpers ---------------------------------------------------------------------
    def ancestor_paths(self) -> list[str]:
        """Paths of this node and all its ancestors, root first."""
        return [self.path[:end] for end in range(self.steplen, len(self.path) + 1, self.steplen)]

    def nearest(self, kind: str) -> Organization | None:
        """The nearest node of ``kind`` among this node and its ancestors."""
        if self.kind == kind:
            return self
        return (
            Organization.objects.filter(path__in=self.ancestor_paths(), kind=kind).order_by("-depth").first()
        )

    @property
    def agency(self) -> Organization | None:
        return self.nearest(OrgKind.AGENCY)

    @property
    def government(self) -> Organization | None:
        return self.nearest(OrgKind.GOVERNMENT)

    def subtree(self):
        return Organization.objects.filter(path__startswith=self.path)

    def clean(self):
        if errors := rules.organization_errors(self.kind, self.subject_kind, self.credit_code):
            raise ValidationError(errors)


class EntrustmentQuerySet(ScopedQuerySet):
    def current(self, on):
        return self.filter(start_date__lte=on, end_date__gte=on, revoked_at__isnull=True)


class Entrustment(models.Model):
    """委托协议 (处罚法 Art. 20): an 行政机关 entrusts an organization to enforce in its name."""

    scope_path = "entrusted__path"

    entrusting = models.ForeignKey(
        Organization, verbose_name="委托机关", on_delete=models.PROTECT, related_name="entrustments_given"
    )
    entrusted = models.ForeignKey(
        Organization,
        verbose_name="受委托组织",
        on_delete=models.PROTECT,
        related_name="entrustments_received",
    )
    agreement_number = models.CharField("协议编号", max_length=60, blank=True)
    matters = models.TextField("委托事项")
    powers = models.TextField("委托权限")
    start_date = models.DateField("委托期限自")
    end_date = models.DateField("委托期限至")
    document = models.FileField("委托协议书（签章扫描件）", upload_to="entrustments/%Y/", blank=True)
    revoked_at = models.DateField("终止日期", null=True, blank=True)
    revoke_reason = models.CharField("终止原因", max_length=200, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = models.Manager.from_queryset(EntrustmentQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "委托协议"
        ordering = ["-start_date"]

    def __str__(self):
        return f"{self.entrusting} 委托 {self.entrusted}（{self.start_date}至{self.end_date}）"

    def clean(self):
        errors = rules.entrustment_errors(
            entrusting_subject_kind=self.entrusting.subject_kind if self.entrusting_id else None,
            entrusted_subject_kind=self.entrusted.subject_kind if self.entrusted_id else None,
            same_organization=self.entrusting_id is not None and self.entrusting_id == self.entrusted_id,
            start=self.start_date,
            end=self.end_date,
        )
        if errors:
            raise ValidationError(errors)
