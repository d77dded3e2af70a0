"""Staff pages for “双随机、一公开”: tasks (list, create, draw with a preview, confirm, the task page
with each drawn target's case and the result counts), 回避, and the 检查对象名录. State changes go
through ``services`` only."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.views.generic import TemplateView, View

from zhifa.cases.views import apply_errors
from zhifa.core.views import ScopedCreateView, ScopedDetailView, ScopedListView, ScopedUpdateView, StaffMixin
from zhifa.workdays.services import current_calendar

from . import rules, services
from .filters import TargetFilter, TaskFilter
from .forms import DrawForm, RecusalForm, TargetForm, TaskForm
from .models import (
    InspectionAssignment,
    InspectionDraw,
    InspectionTarget,
    InspectionTask,
    Recusal,
    TaskStatus,
)


def _scoped_task(request, pk) -> InspectionTask:
    queryset = InspectionTask.objects.for_user(request.user).select_related("agency", "field", "region")
    return get_object_or_404(queryset, pk=pk)


def _service_error(request, exc: Exception) -> None:
    text = "；".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
    messages.error(request, text)


# --- Tasks -------------------------------------------------------------------------------------
class TaskListView(ScopedListView):
    model = InspectionTask
    permission_required = "inspections.view_inspectiontask"
    filterset_class = TaskFilter
    template_name = "inspections/task_list.html"
    paginate_by = 30

    def get_queryset(self):
        current = Q(assignments__draw__is_current=True)
        return (
            super()
            .get_queryset()
            .select_related("agency", "field", "region")
            .annotate(
                drawn=Count("assignments", filter=current),
                resulted=Count("assignments", filter=current & ~Q(assignments__case__outcome="")),
                closed=Count("assignments", filter=current & Q(assignments__case__status="closed")),
            )
            .order_by("-created_at", "-id")  # an aggregate query drops Meta.ordering
        )


class TaskCreateView(StaffMixin, TemplateView):
    permission_required = "inspections.add_inspectiontask"
    template_name = "inspections/task_form.html"

    def get(self, request, *args, **kwargs):
        return self.render_to_response(self.get_context_data(form=TaskForm(user=request.user)))

    def post(self, request, *args, **kwargs):
        form = TaskForm(request.POST, user=request.user)
        if form.is_valid():
            try:
                task = services.create_task(request.user, form.save(commit=False), form.cleaned_data["items"])
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error("agency", str(exc))
            else:
                messages.success(request, f"抽查任务“{task}”已创建，可以随机抽取检查对象。")
                return redirect(task)
        return self.render_to_response(self.get_context_data(form=form))


class TaskDetailView(ScopedDetailView):
    """The task with its current draw: every drawn target with its officers and case, the result
    counts, the draw's record (seed, pools, excluded officers) and any 回避 and earlier draws."""

    model = InspectionTask
    permission_required = "inspections.view_inspectiontask"
    template_name = "inspections/task_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("agency", "field", "region", "created_by", "confirmed_by")
            .prefetch_related(
                "items",
                Prefetch(
                    "draws", queryset=InspectionDraw.objects.select_related("drawn_by").order_by("sequence")
                ),
            )
        )

    def get_context_data(self, **kwargs):
        task = self.object
        draws = list(task.draws.all())
        draw = next((d for d in draws if d.is_current), None)
        assignments = list(services.task_assignments(task)) if draw else []
        names = services.officer_names(assignments)
        recusals = []
        if draw:
            recusals = list(
                Recusal.objects.filter(assignment__draw=draw)
                .select_related("officer", "replacement", "declared_by", "assignment__target")
                .order_by("id")
            )
        calendar = (
            current_calendar() if any(a.case and a.case.details.get("result") for a in assignments) else None
        )
        rows = [self._row(a, names, calendar) for a in assignments]
        user = self.request.user
        return super().get_context_data(
            draw=draw,
            earlier_draws=[d for d in draws if not d.is_current],
            rows=rows,
            progress=services.progress(assignments),
            recusals=recusals,
            verified=services.replay(draw) if draw else False,
            may_manage=user.has_perm("inspections.change_inspectiontask"),
            may_recuse=user.has_perm("inspections.add_recusal") and task.status != TaskStatus.DRAFT,
            draw_form=DrawForm(),
            basis=rules.RANDOM_BASIS,
            **kwargs,
        )

    @staticmethod
    def _row(assignment: InspectionAssignment, names: dict, calendar) -> dict:
        case = assignment.case
        result = (case.details.get("result") or {}) if case else {}
        row = {
            "assignment": assignment,
            "officers": [names.get(i, f"编号{i}") for i in assignment.officer_ids],
            "case": case,
            "result_on": result.get("result_on"),
            "publish_by": None,
        }
        if calendar is not None and result.get("result_on"):
            row["publish_by"] = rules.publication_due(date.fromisoformat(result["result_on"]), calendar).date
        if case is not None:
            row["stage"] = (
                "已结案" if case.status == "closed" else services.STAGE_LABELS.get(case.stage, case.stage)
            )
        return row


class TaskDrawView(StaffMixin, TemplateView):
    """GET: the pools a draw would use now (targets, eligible officers, those excluded and why) —
    the preview; POST: draw, then the task page shows the result for confirmation."""

    permission_required = "inspections.change_inspectiontask"
    template_name = "inspections/task_draw.html"

    def get(self, request, pk):
        task = _scoped_task(request, pk)
        return self._render(task, DrawForm())

    def post(self, request, pk):
        task = _scoped_task(request, pk)
        form = DrawForm(request.POST)
        if form.is_valid():
            try:
                draw = services.draw_task(request.user, task, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(
                    request,
                    f"已完成第{draw.sequence}次随机抽取：从{draw.target_pool_size}个检查对象中抽取{draw.sample_size}个，"
                    f"从{draw.officer_pool_size}名执法人员中随机选派。请核对后确认。",
                )
                return redirect(reverse("inspections:task_detail", args=[task.pk]) + "#draw")
        return self._render(task, form)

    def _render(self, task, form):
        preview = services.preview_draw(task)
        return self.render_to_response(
            self.get_context_data(task=task, preview=preview, form=form, basis=rules.RANDOM_BASIS)
        )


class TaskConfirmView(StaffMixin, View):
    permission_required = "inspections.change_inspectiontask"

    def post(self, request, pk):
        task = _scoped_task(request, pk)
        try:
            cases = services.confirm_task(request.user, task)
        except (ValidationError, PermissionDenied) as exc:
            _service_error(request, exc)
        else:
            messages.success(request, f"已确认抽取结果，生成{len(cases)}件行政检查案件。")
        return redirect(task)


class RecusalView(StaffMixin, TemplateView):
    permission_required = "inspections.add_recusal"
    template_name = "inspections/recusal_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            queryset = InspectionAssignment.objects.for_user(request.user).select_related(
                "task__agency", "target", "draw", "case"
            )
            self.assignment = get_object_or_404(queryset, pk=kwargs["assignment"], task_id=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def _form(self, data=None):
        form = RecusalForm(data, officer_ids=self.assignment.officer_ids)
        own = getattr(self.request.user, "officer", None)
        if data is None and own is not None and own.pk in self.assignment.officer_ids:
            form.initial["officer"] = own.pk
        return form

    def get(self, request, *args, **kwargs):
        return self._render(self._form())

    def post(self, request, *args, **kwargs):
        form = self._form(request.POST)
        if form.is_valid():
            try:
                recusal = services.declare_recusal(
                    request.user, self.assignment, form.cleaned_data["officer"], form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            except PermissionDenied as exc:
                form.add_error("officer", str(exc))
            else:
                replaced = f"，重新选派{recusal.replacement.name}" if recusal.replacement else ""
                messages.success(
                    request, f"已登记{recusal.officer.name}回避{self.assignment.target.name}{replaced}。"
                )
                return redirect(self.assignment.task)
        return self._render(form)

    def _render(self, form):
        return self.render_to_response(
            self.get_context_data(
                assignment=self.assignment, task=self.assignment.task, form=form, basis=rules.RECUSAL_BASIS
            )
        )


# --- 检查对象名录 -------------------------------------------------------------------------------
class TargetListView(ScopedListView):
    model = InspectionTarget
    permission_required = "inspections.view_inspectiontarget"
    filterset_class = TargetFilter
    template_name = "inspections/target_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("agency", "field", "region")


class TargetSaveMixin:
    template_name = "inspections/target_form.html"
    form_class = TargetForm
    success_url = reverse_lazy("inspections:target_list")

    def form_valid(self, form):
        try:
            self.object = services.save_target(self.request.user, form.save(commit=False))
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        except PermissionDenied as exc:
            form.add_error("agency", str(exc))
            return self.form_invalid(form)
        messages.success(self.request, f"检查对象“{self.object}”已保存。")
        return redirect(self.success_url)


class TargetCreateView(TargetSaveMixin, ScopedCreateView):
    model = InspectionTarget
    permission_required = "inspections.add_inspectiontarget"


class TargetUpdateView(TargetSaveMixin, ScopedUpdateView):
    model = InspectionTarget
    permission_required = "inspections.change_inspectiontarget"

    def get_queryset(self):
        return super().get_queryset().select_related("agency")
