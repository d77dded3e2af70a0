"""法制审核: each agency's 目录清单, the review of a case with its rounds, escalations, and the
备案 of major decisions with the government's legal office.

Opinions are never edited: a resubmission is a new round, so every round's materials and opinion
stay on record.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from zhifa.core.scope import ScopedManager
from zhifa.powers.models import PowerCategory

from . import rules


class CatalogueEntry(models.Model):
    """An entry of an agency's 重大执法决定法制审核目录清单 (L1)."""

    scope_path = "agency__path"

    agency = models.ForeignKey(
        "organizations.Organization",
        verbose_name="执法主体",
        on_delete=models.PROTECT,
        related_name="review_catalogue",
    )
    title = models.CharField("事项", max_length=200, help_text="如“对法人处以十万元以上罚款”。")
    category = models.CharField(
        "执法行为类别", max_length=20, choices=PowerCategory.choices, default=PowerCategory.PENALTY
    )
    penalty_kinds = models.JSONField("处罚种类（任一）", default=list, blank=True)
    min_fine_natural = models.DecimalField(
        "对自然人罚款不低于（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    min_fine_organisation = models.DecimalField(
        "对法人或其他组织罚款不低于（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    min_confiscation = models.DecimalField(
        "没收金额不低于（元）", max_digits=14, decimal_places=2, null=True, blank=True
    )
    hearing_held = models.BooleanField("仅限经过听证的案件", default=False)
    field = models.ForeignKey(
        "organizations.EnforcementField",
        verbose_name="执法领域",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    power_level = models.CharField("行使层级", max_length=50, blank=True, help_text="如“市级”；留空不限。")
    basis = models.CharField("依据", max_length=300, blank=True)
    is_active = models.BooleanField("有效", default=True)
    is_published = models.BooleanField("已公开", default=False, help_text="目录清单应当向社会公开（G1）。")
    created_at = models.DateTimeField("创建时间", auto_now_add=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "法制审核目录清单"
        ordering = ["agency__path", "id"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("review:catalogue_edit", args=[self.pk])

    @property
    def conditions_text(self) -> str:
        from zhifa.powers.rules import PENALTY_KIND_LABELS

        return rules.catalogue_condition_text(self.as_condition(), PENALTY_KIND_LABELS)

    def as_condition(self) -> rules.CatalogueCondition:
        return rules.CatalogueCondition(
            title=self.title,
            basis=self.basis,
            category=self.category,
            penalty_kinds=frozenset(self.penalty_kinds or []),
            min_fine_natural=self.min_fine_natural,
            min_fine_organisation=self.min_fine_organisation,
            min_confiscation=self.min_confiscation,
            hearing_held=self.hearing_held,
            field_id=self.field_id,
            power_level=self.power_level,
        )


class Review(models.Model):
    """The 法制审核 of one case's decision: a manual listing, and its rounds."""

    scope_path = "case__agency__path"

    case = models.OneToOneField(
        "cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="legal_review"
    )
    manual_reason = models.TextField("人工列入理由", blank=True)
    manual_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="人工列入人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_at = models.DateTimeField("创建时间", auto_now_add=True)

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "法制审核"

    def __str__(self):
        return f"{self.case}的法制审核"


class RoundQuerySet(models.QuerySet):
    def for_user(self, user):
        from zhifa.core.scope import scope_for

        return scope_for(user).apply(self, "agency__path")

    def pending(self):
        return self.filter(opinion="")


class ReviewRound(models.Model):
    """One submission to the legal-review unit and the reviewer's answer (L3, L4)."""

    review = models.ForeignKey(
        Review, verbose_name="法制审核", on_delete=models.PROTECT, related_name="rounds"
    )
    # the case's agency, kept here so that a reviewer's queue is one indexed scan of their scope
    agency = models.ForeignKey(
        "organizations.Organization", verbose_name="执法主体", on_delete=models.PROTECT, related_name="+"
    )
    number = models.PositiveSmallIntegerField("轮次")
    outcome = models.CharField("拟作出的决定", max_length=20)
    proposal = models.JSONField("送审的处理意见")
    digest = models.CharField("处理意见摘要", max_length=64)
    materials = models.JSONField("送审材料")
    reasons = models.JSONField("审核理由（L1）", default=list)
    changes = models.JSONField("与上一轮相比的变化", default=list)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="送审人", on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField("送审时间")
    request_key = models.CharField("请求标识", max_length=64)
    due_on = models.DateField("审核期限")
    deadline = models.ForeignKey(
        "cases.Deadline",
        verbose_name="期限",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审核人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="review_rounds",
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="指派人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    assigned_at = models.DateTimeField("指派时间", null=True, blank=True)
    checklist = models.JSONField("审核要点（L3）", default=dict, blank=True)
    opinion = models.CharField("审核意见", max_length=20, choices=rules.Opinion.CHOICES, blank=True)
    opinion_text = models.TextField("意见内容", blank=True)
    supplement_due = models.DateField("补充材料期限", null=True, blank=True)
    supplement_deadline = models.ForeignKey(
        "cases.Deadline",
        verbose_name="补充材料期限（办案期限）",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    late_supplement = models.BooleanField("逾期补充材料", default=False)
    decided_at = models.DateTimeField("审核完成时间", null=True, blank=True)
    document = models.ForeignKey(
        "records.Document",
        verbose_name="法制审核意见书",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = RoundQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "法制审核轮次"
        ordering = ["review", "number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "number"], name="review_round_number"),
            models.UniqueConstraint(fields=["review", "request_key"], name="review_round_request_key"),
        ]
        indexes = [
            models.Index(fields=["reviewer", "opinion", "due_on"], name="review_round_queue"),
            models.Index(
                fields=["agency", "opinion", "reviewer", "due_on"], name="review_round_agency_queue"
            ),
            models.Index(fields=["-decided_at"], name="review_round_decided"),
            models.Index(fields=["submitted_by", "-submitted_at"], name="review_round_submitter"),
        ]

    def __str__(self):
        return f"{self.review.case} 第{self.number}轮法制审核"

    def get_absolute_url(self):
        return reverse("review:round_detail", args=[self.pk])

    @property
    def passed(self) -> bool:
        return self.opinion == rules.Opinion.AGREE

    @property
    def decision_text(self) -> str:
        from zhifa.powers.rules import PENALTY_KIND_LABELS

        return rules.decision_text(self.outcome, self.proposal, PENALTY_KIND_LABELS)

    def checklist_rows(self) -> list[dict]:
        results = dict(rules.ItemResult.CHOICES)
        return [
            {
                "code": code,
                "label": label,
                "result": results.get((self.checklist.get(code) or {}).get("result"), "—"),
                "problem": (self.checklist.get(code) or {}).get("result") == rules.ItemResult.PROBLEM,
                "comment": (self.checklist.get(code) or {}).get("comment", ""),
            }
            for code, label in rules.CHECKLIST
        ]


class Escalation(models.Model):
    """L4: a disagreement put to the head with both views, or a recorded consultation of a
    法律顾问. Never edited; the head's conclusion is filled in once."""

    class Kind(models.TextChoices):
        DISAGREEMENT = "disagreement", "承办机构与法制审核机构意见分歧"
        ADVISER = "adviser", "咨询法律顾问"

    round = models.ForeignKey(
        ReviewRound, verbose_name="审核轮次", on_delete=models.PROTECT, related_name="escalations"
    )
    kind = models.CharField("类型", max_length=20, choices=Kind.choices)
    handler_view = models.TextField("承办机构意见", blank=True)
    reviewer_view = models.TextField("法制审核机构意见", blank=True)
    adviser = models.CharField("法律顾问", max_length=100, blank=True)
    adviser_opinion = models.TextField("法律顾问意见", blank=True)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提出人", on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField("提出时间", auto_now_add=True)
    conclusion = models.TextField("负责人决定", blank=True)
    concluded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="决定人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    concluded_at = models.DateTimeField("决定时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "审核意见分歧与咨询"
        ordering = ["raised_at", "id"]

    def __str__(self):
        return f"{self.round}：{self.get_kind_display()}"


class FilingStatus(models.TextChoices):
    DUE = "due", "待报送"
    SUBMITTED = "submitted", "已报送"
    ACCEPTED = "accepted", "已备案"
    RETURNED = "returned", "退回"


class Filing(models.Model):
    """L6: a major decision filed with the government's legal office."""

    scope_path = "case__agency__path"

    case = models.OneToOneField(
        "cases.Case", verbose_name="案件", on_delete=models.PROTECT, related_name="review_filing"
    )
    legal_office = models.ForeignKey(
        "organizations.Organization",
        verbose_name="备案机关",
        null=True,
        on_delete=models.PROTECT,
        related_name="received_filings",
    )
    decided_on = models.DateField("决定日期")
    due_on = models.DateField("报送期限")
    status = models.CharField("状态", max_length=20, choices=FilingStatus.choices, default=FilingStatus.DUE)
    report = models.TextField("备案报告", blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="报送人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="审查人",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_at = models.DateTimeField("审查时间", null=True, blank=True)
    opinion = models.TextField("审查意见", blank=True)
    history = models.JSONField("办理记录", default=list)
    deadline = models.ForeignKey(
        "cases.Deadline",
        verbose_name="期限",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    objects = ScopedManager()

    class Meta:
        verbose_name = verbose_name_plural = "重大执法决定备案"
        ordering = ["due_on", "id"]
        indexes = [models.Index(fields=["status", "due_on"], name="review_filing_status")]

    def __str__(self):
        return f"{self.case}的备案"

    def get_absolute_url(self):
        return reverse("review:filing_detail", args=[self.pk])
