"""执法人员, 执法证件 (with 年审), 培训学时, 考试成绩 and the provincial personnel policy."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.lookups import StartsWith
from django.urls import reverse
from django.utils import timezone

from zhifa.core.scope import ScopedQuerySet
from zhifa.core.uploads import check_upload
from zhifa.core.validators import validate_id_number, validate_phone

from . import rules


# --- Indexed name-prefix search ----------------------------------------------------------------
class PrefixLookup(StartsWith):
    """``name__prefix='张'``: a prefix search that an ordered B-tree index serves on every backend.

    SQLite only uses an index for LIKE under the NOCASE collation, so there the prefix becomes a
    range on the binary (code-point ordered) index. Elsewhere LIKE stays (exact, and served by
    Django's ``varchar_pattern_ops`` index) and gains a lower bound ``name >= prefix``, which is
    true of every string with that prefix and lets ``ORDER BY name LIMIT n`` start at the prefix
    instead of walking the index from its first entry.
    """

    lookup_name = "prefix"

    def get_rhs_op(self, connection, rhs):
        return connection.operators["startswith"] % rhs

    def as_sql(self, compiler, connection):
        like_sql, like_params = super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"({like_sql} AND {lhs} >= %s)", [*like_params, *lhs_params, self.rhs]

    def as_sqlite(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        value = self.rhs
        return f"({lhs} >= %s AND {lhs} < %s)", [*lhs_params, value, value + "\U0010ffff"]


class SearchNameField(models.CharField):
    pass


SearchNameField.register_lookup(PrefixLookup)


# --- Officers --------------------------------------------------------------------------------
class Gender(models.TextChoices):
    MALE = "male", "男"
    FEMALE = "female", "女"


class EmploymentType(models.TextChoices):
    CIVIL_SERVANT = "civil_servant", "在编公务员"
    REFERENCE = "reference", "参公事业编制"
    INSTITUTION = "institution", "事业编制"
    CONTRACT = "contract", "合同制"
    DISPATCHED = "dispatched", "劳务派遣"
    TEMPORARY = "temporary", "临时聘用"


class OfficerStatus(models.TextChoices):
    ACTIVE = "active", "在岗"
    LEFT = "left", "离岗"


def validate_photo(value) -> None:
    """Only a newly uploaded file is checked; the stored one was checked when it arrived."""
    if value and not getattr(value, "_committed", True):
        check_upload(value.file, kinds=("image",), max_bytes=settings.ZHIFA_MAX_PHOTO_BYTES)


class OfficerQuerySet(ScopedQuerySet):
    def active(self):
        return self.filter(status=OfficerStatus.ACTIVE)

    def search(self, text: str):
        """An exact certificate number, or a name prefix — both served by an index."""
        text = (text or "").strip()
        if not text:
            return self
        if rules.looks_like_certificate_number(text):
            number = rules.normalize_certificate_number(text)
            return self.filter(pk__in=Certificate.objects.filter(number=number).values("officer_id"))
        return self.filter(name__prefix=text)


class Officer(models.Model):
    """An 执法人员. The 身份证号 and phone are private: never on the portal or public API."""

    scope_path = "organization__path"

    name = SearchNameField("姓名", max_length=50, db_index=True)
    gender = models.CharField("性别", max_length=10, choices=Gender.choices)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="所在单位",
        on_delete=models.PROTECT,
        related_name="officers",
        help_text="执法主体或其内设机构。",
    )
    position = models.CharField("职务", max_length=50, blank=True)
    employment_type = models.CharField(
        "用工性质",
        max_length=20,
        choices=EmploymentType.choices,
        help_text="合同制、劳务派遣、临时聘用人员不得申领执法证件（司办通〔2020〕78号）。",
    )
    photo = models.ImageField(
        "照片",
        upload_to="officers/photos/%Y/",
        blank=True,
        validators=[validate_photo],
        help_text="JPEG、PNG或WEBP格式证件照。",
    )
    id_number = models.CharField(
        "身份证号",
        max_length=18,
        unique=True,
        validators=[validate_id_number],
        error_messages={"unique": "该身份证号的执法人员已经登记。"},
    )
    phone = models.CharField("联系电话", max_length=30, blank=True, validators=[validate_phone])
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name="系统账号",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer",
    )
    legal_qualification_number = models.CharField(
        "法律职业资格证书编号", max_length=40, blank=True, help_text="法制审核人员填写（处罚法第五十八条）。"
    )
    legal_qualification_date = models.DateField("法律职业资格取得日期", null=True, blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=OfficerStatus.choices, default=OfficerStatus.ACTIVE
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = models.Manager.from_queryset(OfficerQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "执法人员"
        # Searches and lists walk the ``name`` index (db_index); no (status, name) index on purpose:
        # without planner statistics SQLite would prefer it even where the unit's FK index is better.
        ordering = ["name", "id"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("personnel:officer_detail", args=[self.pk])

    @property
    def masked_id_number(self) -> str:
        return rules.mask_id_number(self.id_number)

    @property
    def has_legal_qualification(self) -> bool:
        return bool(self.legal_qualification_number)

    def clean(self):
        errors = {}
        if self.id_number:
            self.id_number = self.id_number.strip().upper()
            if message := rules.id_number_gender_error(self.id_number, self.gender):
                errors["gender"] = message
        if self.organization_id and self.organization.kind == "government":
            errors["organization"] = "执法人员应登记在执法主体或其内设机构，不能直接登记在人民政府。"
        if bool(self.legal_qualification_number) != bool(self.legal_qualification_date):
            errors["legal_qualification_date"] = "法律职业资格证书编号和取得日期须同时填写。"
        if self.legal_qualification_date and self.legal_qualification_date > timezone.localdate():
            errors["legal_qualification_date"] = "取得日期不能晚于今天。"
        if errors:
            raise ValidationError(errors)


# --- Certificates ----------------------------------------------------------------------------
class CertificateStatus(models.TextChoices):
    VALID = "valid", "有效"
    SUSPENDED = "suspended", "暂扣"
    REVOKED = "revoked", "注销"


class RevocationCause(models.TextChoices):
    MISUSE = "misuse", "出借、转借或涂改证件"
    LEFT = "left", "调离执法岗位、退休或辞职"
    OTHER = "other", "其他"


class CertificateQuerySet(ScopedQuerySet):
    def in_state(self, state: str, on: date):
        """Filter by the derived state (有效/暂扣/注销/过期/尚未生效) on a date."""
        if state == "expired":
            return self.filter(status=CertificateStatus.VALID, valid_until__lt=on)
        if state == "pending":
            return self.filter(status=CertificateStatus.VALID, issued_on__gt=on)
        if state == "valid":
            return self.filter(status=CertificateStatus.VALID, issued_on__lte=on, valid_until__gte=on)
        return self.filter(status=state)


class Certificate(models.Model):
    """An 行政执法证件. 过期 is never stored: it follows from ``valid_until`` (see ``state``)."""

    scope_path = "officer__organization__path"

    number = models.CharField(
        "证件编号",
        max_length=32,
        unique=True,
        error_messages={"unique": "该执法证件编号已被使用，证件编号不能重复。"},
    )
    officer = models.ForeignKey(
        Officer, verbose_name="持证人", on_delete=models.PROTECT, related_name="certificates"
    )
    fields = models.ManyToManyField(
        "organizations.EnforcementField", verbose_name="执法类别", related_name="certificates"
    )
    regions = models.ManyToManyField(
        "organizations.Region", verbose_name="执法区域", related_name="certificates"
    )
    issuing_authority = models.ForeignKey(
        "organizations.Organization",
        verbose_name="发证机关",
        on_delete=models.PROTECT,
        related_name="issued_certificates",
    )
    issued_on = models.DateField("发证日期")
    valid_until = models.DateField("有效期至")
    status = models.CharField(
        "状态", max_length=10, choices=CertificateStatus.choices, default=CertificateStatus.VALID
    )
    status_reason = models.CharField("暂扣/注销原因", max_length=200, blank=True)
    status_changed_on = models.DateField("暂扣/注销日期", null=True, blank=True)
    revocation_cause = models.CharField(
        "注销类型", max_length=10, choices=RevocationCause.choices, blank=True
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = models.Manager.from_queryset(CertificateQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "执法证件"
        ordering = ["-valid_until", "id"]
        indexes = [
            models.Index(fields=["officer", "status"], name="certificate_officer_status"),
            models.Index(fields=["valid_until", "id"], name="certificate_until"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_until__gte=models.F("issued_on")),
                name="certificate_valid_range",
                violation_error_message="有效期截止日期不能早于发证日期。",
            ),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("personnel:officer_detail", args=[self.officer_id])

    def state_on(self, on: date | None = None) -> str:
        return rules.certificate_state(
            self.status, self.issued_on, self.valid_until, on or timezone.localdate()
        )

    @property
    def state(self) -> str:
        return self.state_on()

    @property
    def state_label(self) -> str:
        return rules.STATE_LABELS[self.state]

    @property
    def state_level(self) -> str:
        return {"valid": "ok", "suspended": "warn", "pending": "warn"}.get(self.state, "bad")

    def clean(self):
        self.number = rules.normalize_certificate_number(self.number)
        if message := rules.date_range_error(self.issued_on, self.valid_until):
            raise ValidationError({"valid_until": message})


class InspectionResult(models.TextChoices):
    PASSED = "passed", "合格"
    FAILED = "failed", "不合格"


class AnnualInspection(models.Model):
    """年审 of a certificate for one 审验年度 (the year whose enforcement work was examined)."""

    scope_path = "certificate__officer__organization__path"

    certificate = models.ForeignKey(
        Certificate, verbose_name="执法证件", on_delete=models.CASCADE, related_name="inspections"
    )
    year = models.PositiveSmallIntegerField("审验年度")
    result = models.CharField("结论", max_length=10, choices=InspectionResult.choices)
    inspected_on = models.DateField("审验日期")
    note = models.CharField("审验意见", max_length=200, blank=True)
    inspector = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = models.Manager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "年审记录"
        ordering = ["-year"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "year"],
                name="inspection_unique_year",
                violation_error_message="该证件此年度的年审已经登记。",
            )
        ]

    def __str__(self):
        return f"{self.certificate} {self.year}年度年审"

    @property
    def passed(self) -> bool:
        return self.result == InspectionResult.PASSED

    def clean(self):
        errors = {}
        if self.inspected_on and self.year and self.year >= self.inspected_on.year + 1:
            errors["year"] = "审验年度不能晚于审验日期所在年度。"
        if self.certificate_id and self.year and self.year < self.certificate.issued_on.year:
            errors["year"] = "审验年度不能早于发证年度。"
        if self.inspected_on and self.inspected_on > timezone.localdate():
            errors["inspected_on"] = "审验日期不能晚于今天。"
        if errors:
            raise ValidationError(errors)


class TrainingHours(models.Model):
    """培训学时 (S2: at least the configured hours each year). ``year`` follows ``date``."""

    scope_path = "officer__organization__path"

    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.CASCADE, related_name="trainings"
    )
    year = models.PositiveSmallIntegerField("年度", editable=False)
    date = models.DateField("培训日期")
    hours = models.DecimalField(
        "学时",
        max_digits=5,
        decimal_places=1,
        validators=[MinValueValidator(Decimal("0.5"), message="学时须大于0（最小0.5学时）。")],
    )
    topic = models.CharField("培训内容", max_length=200)
    organizer = models.CharField("组织单位", max_length=100, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = models.Manager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "培训学时"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["officer", "year"], name="training_officer_year")]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0),
                name="training_hours_positive",
                violation_error_message="学时须大于0。",
            )
        ]

    def __str__(self):
        return f"{self.officer} {self.date} {self.hours}学时"

    def save(self, *args, **kwargs):
        self.year = self.date.year
        super().save(*args, **kwargs)

    def clean(self):
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": "培训日期不能晚于今天。"})


class ExamResult(models.Model):
    """执法资格考试 or other exam results (S2: certificates only after training and exam)."""

    scope_path = "officer__organization__path"

    officer = models.ForeignKey(
        Officer, verbose_name="执法人员", on_delete=models.CASCADE, related_name="exams"
    )
    date = models.DateField("考试日期")
    subject = models.CharField("考试科目", max_length=100)
    score = models.DecimalField(
        "成绩",
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"), message="成绩不能为负数。")],
    )
    passed = models.BooleanField("合格", default=False)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = models.Manager.from_queryset(ScopedQuerySet)()

    class Meta:
        verbose_name = verbose_name_plural = "考试成绩"
        ordering = ["-date", "-id"]

    def __str__(self):
        return f"{self.officer} {self.subject}"

    def clean(self):
        if self.date and self.date > timezone.localdate():
            raise ValidationError({"date": "考试日期不能晚于今天。"})


# --- Policy ----------------------------------------------------------------------------------
class PersonnelPolicy(models.Model):
    """Values the statute leaves to provinces: a national default row (region empty) and optional
    rows per region; the most specific row along the region's parent chain applies.

    The certificate number pattern is configuration because the national unified numbering rule
    (司办通〔2020〕78号) could not be confirmed from an authoritative public source.
    """

    region = models.OneToOneField(
        "organizations.Region",
        verbose_name="适用区域",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="personnel_policy",
        help_text="留空为全国默认值；设置后适用于该区域及其下级区域。",
    )
    min_training_hours = models.DecimalField(
        "每年最少培训学时",
        max_digits=5,
        decimal_places=1,
        default=Decimal("40"),
        validators=[MinValueValidator(Decimal("0"))],
    )
    inspection_grace_days = models.PositiveSmallIntegerField(
        "上一年度年审完成期限（每年第N日）",
        default=90,
        validators=[MinValueValidator(1)],
        help_text="每年1月1日起第N日（含）之前，上一年度年审尚可未办结；此后未年审的证件不得执法。",
    )
    warning_days = models.PositiveSmallIntegerField(
        "到期及年审预警提前天数", default=60, help_text="山东等地做法为提前两个月预警（S12）。"
    )
    number_pattern = models.CharField(
        "证件编号格式（正则表达式）", max_length=200, default=rules.DEFAULT_NUMBER_PATTERN
    )
    number_example = models.CharField("证件编号示例", max_length=40, default=rules.DEFAULT_NUMBER_EXAMPLE)
    number_description = models.CharField(
        "证件编号格式说明", max_length=200, default=rules.DEFAULT_NUMBER_DESCRIPTION
    )
    number_requires_province_prefix = models.BooleanField("编号前2位须为发证机关省级区划代码", default=True)
    basis = models.TextField("依据", blank=True, help_text="本省行政执法证件管理办法等。")
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "执法人员管理参数"
        ordering = ["region__code"]

    def __str__(self):
        return f"{self.region.name if self.region_id else '全国默认'}执法人员管理参数"

    def as_rule_policy(self) -> rules.Policy:
        return rules.Policy(
            min_training_hours=self.min_training_hours,
            inspection_grace_days=self.inspection_grace_days,
            warning_days=self.warning_days,
        )

    def clean(self):
        errors = rules.pattern_error(self.number_pattern, self.number_example)
        if self.region_id is None:
            others = PersonnelPolicy.objects.filter(region__isnull=True).exclude(pk=self.pk)
            if others.exists():
                errors["region"] = "全国默认参数已经存在，请直接修改它，或为具体区域新增参数。"
        if errors:
            raise ValidationError(errors)
