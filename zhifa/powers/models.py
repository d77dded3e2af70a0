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


# --- 裁量基准 (S8) ---------------------------------------------------------------------------------
class BenchmarkStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PUBLISHED = "published", "已公布"
    WITHDRAWN = "withdrawn", "已撤回"


class DiscretionBenchmark(models.Model):
    """The 裁量基准 of one penalty 事项 as one published document sets it (S8, 处罚法 Art. 34).

    Versioned: a published benchmark is never edited; a change is a new version (``previous``)
    that, once published, closes the earlier one the day before it takes effect.
    """

    scope_path = "agency__path"

    agency = models.ForeignKey(
        Organization,
        verbose_name="制定机关",
        on_delete=models.PROTECT,
        related_name="discretion_benchmarks",
        limit_choices_to=agency_choices,
    )
    power_item = models.ForeignKey(
        PowerItem, verbose_name="权责事项", on_delete=models.PROTECT, related_name="benchmarks"
    )
    title = models.CharField(
        "裁量基准文件名称", max_length=200, help_text="如“示范市城市管理局行政处罚裁量基准”，不含书名号。"
    )
    document_number = models.CharField(
        "文号", max_length=100, blank=True, help_text="如“示城管规〔2025〕1号”。"
    )
    item_number = models.CharField(
        "序号", max_length=20, blank=True, help_text="本事项在裁量基准文件中的序号。"
    )
    effective_from = models.DateField("生效日期")
    effective_until = models.DateField("失效日期", null=True, blank=True)
    band_boundary = models.CharField(
        "分档区间边界",
        max_length=10,
        choices=rules.BAND_BOUNDARIES,
        default=rules.BAND_LOWER_INCLUSIVE,
        help_text="按数量、面积等分档时，边界数值归入哪一档。",
    )
    notes = models.TextField("适用说明", blank=True)
    version = models.PositiveSmallIntegerField("版本", default=1)
    previous = models.ForeignKey(
        "self", verbose_name="上一版本", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(
        "状态", max_length=10, choices=BenchmarkStatus.choices, default=BenchmarkStatus.DRAFT
    )
    published_at = models.DateTimeField("公布时间", null=True, blank=True)
    published_by = models.ForeignKey(
        "accounts.User",
        verbose_name="公布人",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    withdrawn_at = models.DateTimeField("撤回时间", null=True, blank=True)
    withdraw_reason = models.CharField("撤回原因", max_length=300, blank=True)
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "裁量基准"
        ordering = ["agency__path", "power_item__name", "-version"]
        permissions = [("publish_discretionbenchmark", "可以公布和撤回裁量基准")]
        constraints = [
            models.UniqueConstraint(fields=["power_item", "version"], name="benchmark_unique_version"),
        ]
        indexes = [models.Index(fields=["power_item", "status", "effective_from"])]

    def __str__(self):
        return f"{self.power_item.name}（第{self.version}版）"

    def get_absolute_url(self):
        return reverse("powers:benchmark_detail", args=[self.pk])

    @property
    def citation(self) -> str:
        """《…》（文号）第×项 — how a 决定书 cites it."""
        text = f"《{self.title}》"
        if self.document_number:
            text += f"（{self.document_number}）"
        if self.item_number:
            text += f"第{self.item_number.strip('第项')}项"
        return text

    @property
    def is_editable(self) -> bool:
        return self.status == BenchmarkStatus.DRAFT

    def legal_range(self) -> rules.LegalRange:
        item = self.power_item
        return rules.LegalRange(
            kinds=tuple(item.penalty_kinds or ()),
            fine_min=item.fine_min,
            fine_max=item.fine_max,
            multiple_base=item.multiple_base,
            multiple_min=item.multiple_min,
            multiple_max=item.multiple_max,
        )

    @property
    def has_sub_items(self) -> bool:
        return any(t.sub_item for t in self.tiers.all())

    @property
    def has_parties(self) -> bool:
        return any(t.party for t in self.tiers.all())

    def specs(self) -> list[rules.TierSpec]:
        return [tier.spec() for tier in self.tiers.all()]


class DiscretionTier(models.Model):
    """One row of a 裁量基准 table (一档)."""

    benchmark = models.ForeignKey(
        DiscretionBenchmark, verbose_name="裁量基准", on_delete=models.CASCADE, related_name="tiers"
    )
    order = models.PositiveSmallIntegerField("顺序", default=0)
    sub_item = models.CharField("子项", max_length=200, blank=True)
    party = models.CharField(
        "当事人类别",
        max_length=50,
        blank=True,
        help_text="如“单位”“个人”“建设单位”“施工单位”；留空为不区分。",
    )
    level_label = models.CharField(
        "档次名称", max_length=50, blank=True, help_text="照录原表，如“较重”“一般违法行为”“减轻处罚”。"
    )
    tier = models.CharField("裁量阶次", max_length=10, choices=rules.TIERS)
    condition_text = models.TextField("适用情形")
    tags = models.JSONField(
        "情形标签",
        default=list,
        blank=True,
        help_text="计算器据此匹配情形，法定情形用代码，其他情形用简短名称。",
    )
    band_measure = models.CharField("分档指标", max_length=50, blank=True, help_text="如“工程面积”“堆放量”。")
    band_unit = models.CharField("计量单位", max_length=20, blank=True)
    band_min = models.DecimalField("区间下限", max_digits=16, decimal_places=4, null=True, blank=True)
    band_max = models.DecimalField("区间上限", max_digits=16, decimal_places=4, null=True, blank=True)
    penalty_kinds = models.JSONField("处罚种类", default=list, blank=True)
    fine_min = models.DecimalField("罚款下限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    fine_max = models.DecimalField("罚款上限（元）", max_digits=14, decimal_places=2, null=True, blank=True)
    multiple_base = models.CharField("倍数基数", max_length=20, choices=rules.MULTIPLE_BASES, blank=True)
    multiple_min = models.DecimalField(
        "倍数（比例）下限", max_digits=12, decimal_places=6, null=True, blank=True
    )
    multiple_max = models.DecimalField(
        "倍数（比例）上限", max_digits=12, decimal_places=6, null=True, blank=True
    )
    base_floor = models.DecimalField(
        "基数下限（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="如“违法所得不足一万元的，按一万元计算”填10000。",
    )
    multiple_threshold = models.DecimalField(
        "倍数适用起点（元）",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="同时规定定额和倍数时：基数达到该金额按倍数，不足按定额。",
    )
    other_measures = models.CharField(
        "其他措施", max_length=300, blank=True, help_text="非行政处罚的措施，如“责令限期改正”。"
    )
    standard_text = models.TextField("裁量标准（原文）", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "裁量档次"
        ordering = ["benchmark", "order", "id"]

    def __str__(self):
        return f"{self.level_label or self.get_tier_display()}：{self.condition_text[:30]}"

    def spec(self) -> rules.TierSpec:
        return rules.TierSpec(
            tier=self.tier,
            level_label=self.level_label,
            sub_item=self.sub_item,
            party=self.party,
            condition_text=self.condition_text,
            tags=tuple(self.tags or ()),
            band_measure=self.band_measure,
            band_unit=self.band_unit,
            band_min=self.band_min,
            band_max=self.band_max,
            kinds=tuple(self.penalty_kinds or ()),
            fine_min=self.fine_min,
            fine_max=self.fine_max,
            multiple_base=self.multiple_base,
            multiple_min=self.multiple_min,
            multiple_max=self.multiple_max,
            base_floor=self.base_floor,
            multiple_threshold=self.multiple_threshold,
            other_measures=self.other_measures,
        )

    @property
    def range_text(self) -> str:
        return rules.tier_range_text(self.spec())

    @property
    def band_text(self) -> str:
        return rules.band_text(self.spec())

    @property
    def tag_labels(self) -> list[str]:
        return [rules.CIRCUMSTANCE_LABELS.get(t, t) for t in self.tags or []]
