"""Staff pages of 法制审核: the reviewer workbench, a round's page (materials, L3 checklist,
opinion, escalation), submission from the case, the 目录清单, 备案 on both sides, and statistics.
State changes go through ``services`` only."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils import timezone
from django.views.generic import TemplateView

from zhifa.accounts.models import User
from zhifa.accounts.roles import Role
from zhifa.cases.models import Case
from zhifa.cases.views import apply_errors
from zhifa.core.views import ScopedCreateView, ScopedListView, ScopedUpdateView, StaffMixin
from zhifa.organizations.models import Organization, OrgKind

from . import rules, services
from .forms import (
    AdviserForm,
    AssignForm,
    CatalogueEntryForm,
    ConclusionForm,
    DisagreementForm,
    FilingDecisionForm,
    FilingReportForm,
    ManualListingForm,
    OpinionForm,
    SubmitForm,
)
from .models import CatalogueEntry, Escalation, Filing, FilingStatus, ReviewRound

ROUND_RELATED = ("review__case__agency", "reviewer", "submitted_by", "document")


def _error_text(exc: Exception) -> str:
    return "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)


def _rounds(user):
    return ReviewRound.objects.for_user(user).select_related(*ROUND_RELATED)


# What a queue row shows; the rounds' and cases' JSON (materials, details …) stays in the database.
QUEUE_COLUMNS = (
    "number",
    "opinion",
    "submitted_at",
    "due_on",
    "review__case__number",
    "review__case__cause",
    "review__case__agency__name",
    "reviewer__username",
    "reviewer__full_name",
    "submitted_by__username",
    "submitted_by__full_name",
)


def _queue(user):
    return (
        ReviewRound.objects.for_user(user)
        .select_related("review__case__agency", "reviewer", "submitted_by")
        .only(*QUEUE_COLUMNS)
    )


# --- Workbench ---------------------------------------------------------------------------------------
class WorkbenchView(StaffMixin, TemplateView):
    permission_required = "review.view_reviewround"
    template_name = "review/workbench.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        rounds = _queue(user)
        is_reviewer = user.has_role(Role.REVIEWER)
        handles = user.is_superuser or any(user.has_role(r) for r in services.HANDLER_ROLES)
        assigned = Case.objects.filter(assignments__officer__user=user).values("pk")
        return super().get_context_data(
            is_reviewer=is_reviewer,
            mine=rounds.pending().filter(reviewer=user).order_by("due_on", "id") if is_reviewer else [],
            unassigned=rounds.pending().filter(reviewer__isnull=True).order_by("due_on", "id")[:100],
            submitted=(
                rounds.filter(Q(submitted_by=user) | Q(review__case__in=assigned)).order_by("-submitted_at")[
                    :30
                ]
                if handles
                else []
            ),
            decided=(
                rounds.filter(reviewer=user).exclude(opinion="").order_by("-decided_at")[:30]
                if is_reviewer
                else []
            ),
            today=timezone.localdate(),
            **kwargs,
        )


# --- A round -----------------------------------------------------------------------------------------
class RoundDetailView(StaffMixin, TemplateView):
    permission_required = "review.view_reviewround"
    template_name = "review/round_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.round = get_object_or_404(_rounds(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        round_, user = self.round, self.request.user
        case = round_.review.case
        previous = round_.review.rounds.filter(number__lt=round_.number).order_by("-number").first()
        may_assign = user.is_superuser or any(user.has_role(r) for r in services.HEAD_ROLES)
        context = {
            "round": round_,
            "case": case,
            "rounds": round_.review.rounds.select_related("reviewer").order_by("number"),
            "materials": _materials_rows(round_),
            "changes": [
                {
                    "key": key,
                    "label": CHANGE_LABELS.get(key, key),
                    "before": previous.proposal.get(key),
                    "after": round_.proposal.get(key),
                }
                for key in round_.changes
            ]
            if previous
            else [],
            "escalations": round_.escalations.select_related("raised_by", "concluded_by"),
            "may_opine": not round_.opinion and round_.reviewer_id == user.pk,
            "may_claim": not round_.opinion and not round_.reviewer_id and user.has_role(Role.REVIEWER),
            "candidates": services.eligible_reviewers(round_) if may_assign and not round_.opinion else [],
            "may_disagree": round_.opinion == rules.Opinion.PROBLEMS and services._is_handler(case, user),
            "may_consult": round_.reviewer_id == user.pk or may_assign,
            "may_conclude": user.is_superuser or user.has_role(Role.AGENCY_HEAD),
            "opinion_form": kwargs.pop("opinion_form", None) or OpinionForm(),
            "disagreement_form": kwargs.pop("disagreement_form", None) or DisagreementForm(),
            "adviser_form": kwargs.pop("adviser_form", None) or AdviserForm(),
            "conclusion_form": ConclusionForm(),
            "today": timezone.localdate(),
        }
        return super().get_context_data(**context, **kwargs)

    def post(self, request, *args, **kwargs):
        handler = getattr(self, f"_post_{request.POST.get('do', '')}", None)
        if handler is None:
            messages.error(request, "未知的操作。")
            return redirect(self.round.get_absolute_url())
        try:
            response = handler(request)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, _error_text(exc))
            return redirect(self.round.get_absolute_url())
        return response or redirect(self.round.get_absolute_url())

    def _post_assign(self, request):
        form = AssignForm(request.POST)
        reviewer = User.objects.filter(pk=form.data.get("reviewer")).first() if form.is_valid() else None
        if reviewer is None:
            raise ValidationError("请选择法制审核人员。")
        services.assign(self.round, reviewer, request.user)
        messages.success(request, f"已指派{reviewer}审核。")

    def _post_claim(self, request):
        services.assign(self.round, request.user, request.user)
        messages.success(request, "已领取该审核任务。")

    def _post_opinion(self, request):
        form = OpinionForm(request.POST)
        if form.is_valid():
            try:
                services.record_opinion(self.round, request.user, form.draft())
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, "审核意见已出具，法制审核意见书已生成。")
                return None
        return self.render_to_response(self.get_context_data(opinion_form=form))

    def _post_disagree(self, request):
        form = DisagreementForm(request.POST)
        if form.is_valid():
            services.escalate(self.round, request.user, handler_view=form.cleaned_data["handler_view"])
            messages.success(request, "已将双方意见报请机关负责人决定。")
            return None
        return self.render_to_response(self.get_context_data(disagreement_form=form))

    def _post_adviser(self, request):
        form = AdviserForm(request.POST)
        if form.is_valid():
            services.consult_adviser(self.round, request.user, **form.cleaned_data)
            messages.success(request, "已记录法律顾问意见。")
            return None
        return self.render_to_response(self.get_context_data(adviser_form=form))

    def _post_conclude(self, request):
        escalation = get_object_or_404(Escalation, pk=request.POST.get("escalation"), round=self.round)
        form = ConclusionForm(request.POST)
        if not form.is_valid():
            raise ValidationError(form.errors["conclusion"])
        services.conclude(escalation, request.user, form.cleaned_data["conclusion"])
        messages.success(request, "负责人决定已记录。")


CHANGE_LABELS = {
    "outcome": "拟作出的决定",
    "penalty_kinds": "处罚种类",
    "fine": "罚款金额",
    "confiscation": "没收金额",
    "review_report": "送审报告",
    "report": "调查终结报告",
}


def _materials_rows(round_: ReviewRound) -> list[dict]:
    materials = round_.materials
    missing = set(services.materials_missing(materials))
    rows = []
    for code, label in rules.MATERIALS:
        present = label not in missing
        if code == "file":
            count = len(materials["file"]["documents"])
            rows.append(
                {
                    "label": label,
                    "present": True,
                    "note": f"文书{count}份，办理记录{materials['file']['events']}条",
                }
            )
        else:
            rows.append({"label": label, "present": present, "note": ""})
    return rows


# --- Submission from the case ------------------------------------------------------------------------
class CaseReviewView(StaffMixin, TemplateView):
    permission_required = "cases.view_case"
    template_name = "review/case_review.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.case = get_object_or_404(
                Case.objects.for_user(request.user).select_related("agency"), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        case = self.case
        return super().get_context_data(
            case=case,
            reasons=services.required_reasons(case),
            rounds=ReviewRound.objects.filter(review__case=case)
            .select_related("reviewer", "document")
            .order_by("number"),
            filing=Filing.objects.filter(case=case).first(),
            submit_form=kwargs.pop("submit_form", None) or SubmitForm(),
            manual_form=kwargs.pop("manual_form", None) or ManualListingForm(),
            may_submit=self.request.user.has_perm("cases.change_case")
            and case.stage in services.REVIEWABLE_STAGES,
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        if not request.user.has_perm("cases.change_case"):
            raise PermissionDenied("您的角色无权执行此操作。")
        if request.POST.get("do") == "manual":
            form = ManualListingForm(request.POST)
            if form.is_valid():
                try:
                    services.list_manually(self.case, request.user, form.cleaned_data["reason"])
                except ValidationError as exc:
                    apply_errors(form, exc)
                else:
                    messages.success(request, "已将本案列入法制审核。")
                    return redirect("review:case_review", pk=self.case.pk)
            return self.render_to_response(self.get_context_data(manual_form=form))
        form = SubmitForm(request.POST)
        if form.is_valid():
            try:
                round_, created = services.submit(self.case, request.user, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                if created:
                    messages.success(
                        request, f"已提交第{round_.number}轮法制审核，审核期限至{round_.due_on:%Y-%m-%d}。"
                    )
                return redirect(round_.get_absolute_url())
        return self.render_to_response(self.get_context_data(submit_form=form))


# --- 目录清单 ----------------------------------------------------------------------------------------
class CatalogueListView(ScopedListView):
    model = CatalogueEntry
    permission_required = "review.view_catalogueentry"
    template_name = "review/catalogue_list.html"
    filterset_class = None
    filterset_fields = ["agency", "is_active"]

    def get_queryset(self):
        return super().get_queryset().select_related("agency", "field")


class CatalogueCreateView(ScopedCreateView):
    model = CatalogueEntry
    form_class = CatalogueEntryForm
    permission_required = "review.add_catalogueentry"
    template_name = "review/catalogue_form.html"
    success_url = reverse_lazy("review:catalogue_list")


class CatalogueUpdateView(ScopedUpdateView):
    model = CatalogueEntry
    form_class = CatalogueEntryForm
    permission_required = "review.change_catalogueentry"
    template_name = "review/catalogue_form.html"
    success_url = reverse_lazy("review:catalogue_list")


# --- 备案 --------------------------------------------------------------------------------------------
class FilingListView(StaffMixin, TemplateView):
    permission_required = "review.view_filing"
    template_name = "review/filing_list.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        filings = Filing.objects.for_user(user).select_related("case__agency", "legal_office")
        inbox = filings.filter(legal_office=user.organization) if user.organization_id else filings.none()
        return super().get_context_data(
            outbox=filings.exclude(legal_office=user.organization).order_by("status", "due_on")[:200]
            if user.organization_id
            else filings.order_by("status", "due_on")[:200],
            inbox=inbox.order_by("status", "due_on")[:200],
            overdue=services.overdue_filings(filings).count(),
            today=timezone.localdate(),
            **kwargs,
        )


class FilingDetailView(StaffMixin, TemplateView):
    permission_required = "review.view_filing"
    template_name = "review/filing_detail.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.filing = get_object_or_404(
                Filing.objects.for_user(request.user).select_related("case__agency", "legal_office"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        filing, user = self.filing, self.request.user
        return super().get_context_data(
            filing=filing,
            rounds=ReviewRound.objects.filter(review__case=filing.case).select_related(
                "reviewer", "document"
            ),
            report_form=kwargs.pop("report_form", None) or FilingReportForm(),
            decision_form=kwargs.pop("decision_form", None) or FilingDecisionForm(),
            may_submit=filing.status in (FilingStatus.DUE, FilingStatus.RETURNED)
            and user.has_perm("cases.change_case"),
            may_handle=filing.status == FilingStatus.SUBMITTED
            and (user.is_superuser or user.organization_id == filing.legal_office_id),
            today=timezone.localdate(),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        submitting = request.POST.get("do") == "submit"
        form = FilingReportForm(request.POST) if submitting else FilingDecisionForm(request.POST)
        if form.is_valid():
            try:
                if submitting:
                    services.submit_filing(self.filing, request.user, form.cleaned_data["report"])
                else:
                    services.handle_filing(self.filing, request.user, **form.cleaned_data)
            except PermissionDenied as exc:
                messages.error(request, str(exc))
            except ValidationError as exc:
                apply_errors(form, exc)
                key = "report_form" if submitting else "decision_form"
                return self.render_to_response(self.get_context_data(**{key: form}))
            else:
                messages.success(request, "已报送备案。" if submitting else "备案审查结论已记录。")
            return redirect(reverse("review:filing_detail", args=[self.filing.pk]))
        key = "report_form" if submitting else "decision_form"
        return self.render_to_response(self.get_context_data(**{key: form}))


# --- Statistics and staffing -------------------------------------------------------------------------
class StatisticsView(StaffMixin, TemplateView):
    permission_required = "review.view_reviewround"
    template_name = "review/statistics.html"

    def get_context_data(self, **kwargs):
        agencies = list(
            Organization.objects.for_user(self.request.user)
            .filter(kind=OrgKind.AGENCY, is_active=True)
            .order_by("path")[:500]
        )
        return super().get_context_data(
            rows=services.statistics(agencies),
            staffing=services.staffing(agencies, self.request.user),
            **kwargs,
        )
