"""法律法规库 (law → version → chapter → article → 款/项), 权责清单 and 随机抽查事项清单."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from zhifa.core.scope import ScopedManager
from zhifa.organizations.models import Organization, OrgKind

from . import rules
from .lawtext import int_to_chinese


class LawLevel(models.TextChoices):
    LAW = "law", "法律"
    ADMINISTRATIVE_REGULATION = "admin_regulation", "行政法规"
    LOCAL_REGULATION = "local_regulation", "地方性法规"
    RULE = "rule", "规章"
    OTHER = "other", "其他"


class Law(models.Model):
    """A law or regulation independent of its versions (《中华人民共和国食品安全法》)."""

    title = models.CharField("名称", max_length=200, unique=True)
    short_title = models.CharField("简称", max_length=100, unique=True, help_text="如“行政处罚法”。")
    level = models.CharField("效力层级", max_length=20, choices=LawLevel.choices, default=LawLevel.LAW)
    issuing_body = models.CharField("制定机关", max_length=100, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "法律法规"
        ordering = ["level", "short_title"]

    def __str__(self):
        return f"《{self.title}》"

    def get_absolute_url(self):
        return reverse("powers:law_detail", args=[self.pk])


class LawVersion(models.Model):
    """One text of a law, dated by its adoption or latest amendment."""

    law = models.ForeignKey(Law, verbose_name="法律法规", on_delete=models.CASCADE, related_name="versions")
    version_date = models.DateField("版本日期", help_text="通过或最近一次修改的日期。")
    effective_date = models.DateField("施行日期")
    history = models.TextField("制定和修改沿革", blank=True)
    is_current = models.BooleanField("现行有效版本", default=False)
    source_name = models.CharField("来源文件", max_length=200, blank=True)
    content_hash = models.CharField("内容摘要", max_length=64, editable=False)
    imported_at = models.DateTimeField("导入时间", auto_now_add=True)

    class Meta:
        verbose_name = verbose_name_plural = "法律法规版本"
        ordering = ["law", "-version_date"]
        constraints = [
            models.UniqueConstraint(fields=["law", "version_date"], name="lawversion_unique_date"),
            models.UniqueConstraint(
                fields=["law"], condition=models.Q(is_current=True), name="lawversion_one_current"
            ),
        ]

    def __str__(self):
        return f"{self.law}（{self.version_date:%Y年%m月%d日}版）"

    def get_absolute_url(self):
        return reverse("powers:lawversion_detail", args=[self.pk])


class Chapter(models.Model):
    """A 章, or a 节 inside a 章 (``parent``)."""

    CHAPTER, SECTION = "chapter", "section"

    version = models.ForeignKey(
        LawVersion, verbose_name="版本", on_delete=models.CASCADE, related_name="chapters"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="所属章",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="sections",
    )
    ordinal = models.PositiveSmallIntegerField("顺序")
    kind = models.CharField("层级", max_length=10, choices=[(CHAPTER, "章"), (SECTION, "节")])
    number = models.PositiveSmallIntegerField("编号")
    title = models.CharField("标题", max_length=200)

    class Meta:
        verbose_name = verbose_name_plural = "章节"
        ordering = ["version", "ordinal"]
        constraints = [models.UniqueConstraint(fields=["version", "ordinal"], name="chapter_unique_ordinal")]

    def __str__(self):
        return self.title

    @property
    def anchor(self) -> str:
        return f"c{self.ordinal}"


class Article(models.Model):
    version = models.ForeignKey(
        LawVersion, verbose_name="版本", on_delete=models.CASCADE, related_name="articles"
    )
    chapter = models.ForeignKey(
        Chapter,
        verbose_name="章节",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
    )
    number = models.PositiveIntegerField("条号")
    label = models.CharField("条", max_length=20, help_text="如“第一百零六条”。")
    text = models.TextField("条文")

    class Meta:
        verbose_name = verbose_name_plural = "条文"
        ordering = ["version", "number"]
        constraints = [models.UniqueConstraint(fields=["version", "number"], name="article_unique_number")]

    def __str__(self):
        return f"{self.version.law}{self.label}"

    def get_absolute_url(self):
        return reverse("powers:article_detail", args=[self.pk])

    @property
    def anchor(self) -> str:
        return f"a{self.number}"


class Paragraph(models.Model):
    """A 款 (``xiang`` empty) or one of its 项, so a citation can point at 第X条第Y款第（Z）项."""

    article = models.ForeignKey(
        Article, verbose_name="条文", on_delete=models.CASCADE, related_name="paragraphs"
    )
    ordinal = models.PositiveSmallIntegerField("顺序")
    kuan = models.PositiveSmallIntegerField("款")
    xiang = models.PositiveSmallIntegerField("项", null=True, blank=True)
    text = models.TextField("内容")

    class Meta:
        verbose_name = verbose_name_plural = "款项"
        ordering = ["article", "ordinal"]
        constraints = [
            models.UniqueConstraint(fields=["article", "ordinal"], name="paragraph_unique_ordinal")
        ]

    def __str__(self):
        return self.text[:40]


class BasisLink(models.Model):
    """A link from a listed 事项 to the article (款/项) its 依据 text cites."""

    # PROTECT: a cited text cannot silently disappear from under a published list.
    article = models.ForeignKey(Article, verbose_name="条文", on_delete=models.PROTECT)
    kuan = models.PositiveSmallIntegerField("款", null=True, blank=True)
    xiang = models.PositiveSmallIntegerField("项", null=True, blank=True)
    ordinal = models.PositiveSmallIntegerField("顺序", default=0)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.article}{self.citation_label.removeprefix(self.article.label)}"

    @property
    def citation_label(self) -> str:
        text = self.article.label
        if self.kuan:
            text += f"第{int_to_chinese(self.kuan)}款"
        if self.xiang:
            text += f"第（{int_to_chinese(self.xiang)}）项"
        return text


class PowerCategory(models.TextChoices):
    LICENSE = "license", "行政许可"
    PENALTY = "penalty", "行政处罚"
    COERCION = "coercion", "行政强制"
    LEVY = "levy", "行政征收"
    FEE = "fee", "行政收费"
    INSPECTION = "inspection", "行政检查"
    CONFIRMATION = "confirmation", "行政确认"
    REWARD = "reward", "行政奖励"
    RULING = "ruling", "行政裁决"
    OTHER = "other", "其他行政权力"


def agency_choices():
    return {"kind": OrgKind.AGENCY}


class PowerItem(models.Model):
    """A 权责清单 事项: what an 执法主体 may do, on which legal basis, and its duties."""

    scope_path = "agency__path"

    code = models.CharField(
        "事项编码",
        max_length=rules.MAX_CODE_LENGTH,
        blank=True,
        help_text="各地格式不一：31位国家编码、如“XK1400100011522427009668517R14522427”的编码、序号均可，可留空。",
    )
    name = models.CharField("事项名称", max_length=300)
    sub_name = models.CharField("子项名称", max_length=300, blank=True)
    category = models.CharField("事项类别", max_length=20, choices=PowerCategory.choices)
    agency = models.ForeignKey(
        Organization,
        verbose_name="实施主体",
        on_delete=models.PROTECT,
        related_name="power_items",
        limit_choices_to=agency_choices,
    )
    undertaking_unit = models.ForeignKey(
        Organization,
        verbose_name="承办机构",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="undertaken_power_items",
        help_text="实施主体的内设机构或所属执法队伍。",
    )
    undertaking_unit_text = models.CharField(
        "承办机构（文字）", max_length=200, blank=True, help_text="承办机构不在组织机构中时填写名称。"
    )
    level = models.CharField(
        "行使层级", max_length=50, blank=True, help_text="如“市级”“区级”“省、市、县级”。"
    )
    basis_text = models.TextField(
        "实施依据",
        help_text="照录法律法规条文，如“《中华人民共和国食品安全法》第一百二十二条 ……”；书名号内的法规名称和条号会自动关联到法律法规库。",
    )
    articles = models.ManyToManyField(
        Article, through="PowerItemBasis", verbose_name="依据条文", related_name="power_items", blank=True
    )
    responsibilities = models.TextField("责任事项", blank=True)
    accountability = models.TextField("追责情形", blank=True)
    penalty_kinds = models.JSONField("处罚种类", default=list, blank=True)
    fine_min = models.DecimalField("罚款下限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField("罚款上限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    multiple_base = models.CharField("倍数罚款基数", max_length=20, choices=rules.MULTIPLE_BASES, blank=True)
    multiple_min = models.DecimalField("倍数下限", max_digits=6, decimal_places=2, null=True, blank=True)
    multiple_max = models.DecimalField("倍数上限", max_digits=6, decimal_places=2, null=True, blank=True)
    range_text = models.TextField("处罚幅度说明", blank=True, help_text="可照录清单中的“处罚的幅度”。")
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "权责清单事项"
        ordering = ["agency__path", "category", "code", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "code"], condition=~models.Q(code=""), name="poweritem_unique_code"
            ),
        ]
        indexes = [models.Index(fields=["agency", "category"])]

    def __str__(self):
        return f"{self.name}（{self.sub_name}）" if self.sub_name else self.name

    def get_absolute_url(self):
        return reverse("powers:poweritem_detail", args=[self.pk])

    @property
    def is_penalty(self) -> bool:
        return self.category == PowerCategory.PENALTY

    @property
    def undertaking_unit_name(self) -> str:
        return self.undertaking_unit.name if self.undertaking_unit_id else self.undertaking_unit_text

    @property
    def penalty_kind_labels(self) -> list[str]:
        return [rules.PENALTY_KIND_LABELS.get(k, k) for k in self.penalty_kinds or []]

    @property
    def legal_range(self) -> str:
        return rules.legal_range_text(
            self.penalty_kinds or [],
            self.fine_min,
            self.fine_max,
            self.multiple_base,
            self.multiple_min,
            self.multiple_max,
        )

    def clean(self):
        errors = {}
        if message := rules.power_code_error(self.code):
            errors["code"] = message
        errors.update(
            rules.penalty_range_errors(
                is_penalty=self.is_penalty,
                kinds=list(self.penalty_kinds or []),
                fine_min=self.fine_min,
                fine_max=self.fine_max,
                multiple_base=self.multiple_base,
                multiple_min=self.multiple_min,
                multiple_max=self.multiple_max,
            )
        )
        if self.agency_id and self.agency.kind != OrgKind.AGENCY:
            errors["agency"] = "实施主体必须是执法主体（行政机关、授权组织或受委托组织）。"
        if (
            self.undertaking_unit_id
            and self.agency_id
            and not self.undertaking_unit.path.startswith(self.agency.path)
        ):
            errors["undertaking_unit"] = "承办机构应为实施主体本身或其内设机构、所属执法队伍。"
        if errors:
            raise ValidationError(errors)


class PowerItemBasis(BasisLink):
    power_item = models.ForeignKey(
        PowerItem, verbose_name="权责事项", on_delete=models.CASCADE, related_name="basis_links"
    )

    class Meta:
        verbose_name = verbose_name_plural = "权责事项依据条文"
        ordering = ["power_item", "ordinal"]
        constraints = [
            models.UniqueConstraint(
                fields=["power_item", "article", "kuan", "xiang"], name="poweritembasis_unique"
            ),
        ]


class InspectionItem(models.Model):
    """A 随机抽查事项 of the “双随机、一公开” list (G1)."""

    scope_path = "agency__path"

    field_name = models.CharField("抽查领域（检查项目）", max_length=200)
    name = models.CharField("抽查事项（检查子项）", max_length=300)
    target = models.CharField("检查对象", max_length=300)
    agency = models.ForeignKey(
        Organization,
        verbose_name="检查主体",
        on_delete=models.PROTECT,
        related_name="inspection_items",
        limit_choices_to=agency_choices,
    )
    cooperating_departments = models.CharField("配合部门", max_length=300, blank=True)
    basis_text = models.TextField("检查依据", blank=True)
    articles = models.ManyToManyField(
        Article,
        through="InspectionItemBasis",
        verbose_name="依据条文",
        related_name="inspection_items",
        blank=True,
    )
    method = models.CharField(
        "检查方式", max_length=100, help_text="如“现场检查”“书面检查”“网络监测”，多种以“、”分隔。"
    )
    content = models.TextField("检查内容", blank=True)
    ratio = models.CharField(
        "抽查比例（频次）", max_length=100, blank=True, help_text="如“5%”“每年不少于1次”“60-70家”。"
    )
    level = models.CharField("实施层级", max_length=100, blank=True, help_text="如“区级发起，区级检查”。")
    is_active = models.BooleanField("有效", default=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "随机抽查事项"
        ordering = ["agency__path", "field_name", "id"]

    def __str__(self):
        return f"{self.field_name}：{self.name}"

    def get_absolute_url(self):
        return reverse("powers:inspectionitem_detail", args=[self.pk])

    def clean(self):
        if self.agency_id and self.agency.kind != OrgKind.AGENCY:
            raise ValidationError({"agency": "检查主体必须是执法主体。"})


class InspectionItemBasis(BasisLink):
    inspection_item = models.ForeignKey(
        InspectionItem, verbose_name="抽查事项", on_delete=models.CASCADE, related_name="basis_links"
    )

    class Meta:
        verbose_name = verbose_name_plural = "抽查事项依据条文"
        ordering = ["inspection_item", "ordinal"]
        constraints = [
            models.UniqueConstraint(
                fields=["inspection_item", "article", "kuan", "xiang"], name="inspectionitembasis_unique"
            ),
        ]
