"""Staff pages for cases: the list (filters, warnings, export), registration, the case page and
one guided form per action. State changes go through ``services`` and ``engine`` only."""

from __future__ import annotations

from datetime import date

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import TemplateView

from zhifa.core.views import ScopedDetailView, ScopedListView, StaffMixin, export_response
from zhifa.personnel.models import Officer
from zhifa.personnel.paging import CountlessPaginator
from zhifa.personnel.rules import mask_id_number
from zhifa.records.kinds import KINDS
from zhifa.records.models import Document

from . import engine, services
from .definitions import Procedure, procedure_of
from .filters import LEVEL_CSS, CaseFilter, Catalog, worst_deadline
from .forms import (
    ActionMetaForm,
    CaseForm,
    ConfirmForm,
    PartyFormSet,
    engine_data,
    guide_officer_fields,
    guide_summary_kinds,
)
from .handlers import HANDLERS
from .models import Case, CaseEvent, CaseOfficer, Deadline, DeadlineStatus, Party

OFFICER_KEYS = ("officers", "presiding_officer")
EXTRA_LABELS = {"hearing_reasons": "可以要求听证的情形"}


def review_summary(case: Case) -> dict | None:
    """The 法制审核 box of the case page (一般程序 only): why review is needed, the latest round, 备案."""
    from zhifa.review import services as review

    if case.procedure.code != "penalty_general":
        return None
    return review.case_summary(case)


def apply_errors(form, exc: ValidationError, aliases: dict | None = None) -> None:
    """Put a service's ValidationError on the form fields it names (others at the top)."""
    aliases = aliases or {}
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc.messages)
        return
    for name, errors in exc.error_dict.items():
        name = aliases.get(name, name)
        form.add_error(name if name in form.fields else None, errors)


def chunked(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- List ------------------------------------------------------------------------------------
def list_queryset(queryset):
    """What a list row shows, in a constant number of queries per page."""
    return (
        queryset.select_related("agency", "procedure")
        .defer("details", "summary", "procedure__definition")
        .prefetch_related(
            Prefetch("parties", queryset=Party.objects.only("id", "case_id", "name")),
            Prefetch(
                "deadlines",
                queryset=Deadline.objects.filter(status=DeadlineStatus.RUNNING),
                to_attr="running_deadlines",
            ),
        )
    )


def decorate(cases, catalog: Catalog) -> None:
    for case in cases:
        case.stage_name = catalog.stage_name(case)
        case.worst = worst_deadline(case.running_deadlines)
        case.worst_css = LEVEL_CSS.get(case.worst.level, "") if case.worst else ""
        case.party_names = "、".join(p.name for p in case.parties.all())


MORE_FILTERS = (
    "procedure",
    "stage",
    "status",
    "agency",
    "officer_name",
    "created_from",
    "created_to",
    "mine",
)
EXPORT_HEADERS = [
    "案号",
    "执法主体",
    "执法程序",
    "案由",
    "当事人",
    "阶段",
    "状态",
    "处理结果",
    "最紧迫期限",
    "届满日",
    "预警",
    "登记日期",
]


class CaseListView(ScopedListView):
    model = Case
    permission_required = "cases.view_case"
    filterset_class = CaseFilter
    template_name = "cases/case_list.html"
    paginator_class = CountlessPaginator
    paginate_by = 30

    def get_filterset_kwargs(self, filterset_class):
        self.catalog = Catalog.for_request(self.request)
        return {**super().get_filterset_kwargs(filterset_class), "catalog": self.catalog}

    def get_queryset(self):
        return list_queryset(super().get_queryset())

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in {"csv", "xlsx"}:
            self.catalog = Catalog.for_request(request)
            filterset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request)
            queryset = filterset.qs if filterset.is_valid() else Case.objects.none()
            return export_response(self._rows(queryset), EXPORT_HEADERS, "cases", fmt)
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decorate(context["object_list"], self.catalog)
        for field in self.filterset.form.fields.values():
            field.widget.attrs.setdefault("aria-label", field.label)
        context["more_filters"] = any(self.request.GET.get(name) for name in MORE_FILTERS)
        # A region can hold thousands of agencies: the options are written by a plain loop, which is
        # far cheaper than rendering each one through the widget templates.
        context["agency_choices"] = list(
            self.filterset.filters["agency"].queryset(self.request).order_by("path").values_list("pk", "name")
        )
        context["selected_agency"] = self.request.GET.get("agency", "")
        return context

    def _rows(self, queryset):
        for chunk in chunked(queryset.iterator(chunk_size=500), 500):
            decorate(chunk, self.catalog)
            for c in chunk:
                worst = c.worst
                yield [
                    c.number or "（待立案）",
                    c.agency.name,
                    c.procedure.name,
                    c.cause,
                    c.party_names,
                    c.stage_name,
                    c.get_status_display(),
                    c.outcome,
                    worst.name if worst else "",
                    worst.due_on.isoformat() if worst else "",
                    worst.get_level_display() if worst else "",
                    timezone.localtime(c.created_at).date().isoformat(),
                ]


# --- Registration ----------------------------------------------------------------------------
class CaseCreateView(StaffMixin, TemplateView):
    permission_required = "cases.add_case"
    template_name = "cases/case_form.html"

    def get(self, request, *args, **kwargs):
        return self._render(CaseForm(user=request.user), PartyFormSet(prefix="parties"))

    def post(self, request, *args, **kwargs):
        form = CaseForm(request.POST, user=request.user)
        parties = PartyFormSet(request.POST, prefix="parties")
        if all([form.is_valid(), parties.is_valid()]):
            try:
                case = services.create_case(request.user, parties=parties.parties(), **form.service_kwargs())
            except ValidationError as exc:
                apply_errors(form, exc, aliases={"officers": "officer_ids"})
            except PermissionDenied as exc:
                form.add_error("agency", str(exc))
            else:
                messages.success(request, f"案件已登记：{case}。")
                return redirect(case)
        return self._render(form, parties)

    def _render(self, form, parties):
        return self.render_to_response(self.get_context_data(form=form, parties=parties))


# --- Case page -------------------------------------------------------------------------------
def _cn_date(value) -> str:
    try:
        day = date.fromisoformat(value) if isinstance(value, str) else value
    except ValueError:
        return str(value)
    return f"{day.year}年{day.month}月{day.day}日"


def readable(name: str, value, field: forms.Field | None, officer_names: dict[int, str]) -> str:
    """A stored value as a person reads it: choice labels, 是/否, dates, officer names."""
    if value in (None, "", [], {}):
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    if name in OFFICER_KEYS:
        ids = value if isinstance(value, list) else [value]
        return "、".join(officer_names.get(int(i), f"编号{i}") for i in ids)
    choices = {str(k): v for k, v in getattr(field, "choices", None) or []}
    if isinstance(value, list):
        return "、".join(str(choices.get(str(v), v)) for v in value)
    if isinstance(field, forms.DateField):
        return _cn_date(value)
    if isinstance(field, forms.DecimalField):
        return f"{value}元"
    return str(choices.get(str(value), value))


def readable_rows(data: dict, fields: dict, officer_names: dict[int, str]) -> list[tuple[str, str]]:
    rows = []
    for name, value in data.items():
        if name == "warnings":
            continue
        field = fields.get(name)
        label = field.label if field is not None else EXTRA_LABELS.get(name, name)
        rows.append((label, readable(name, value, field, officer_names)))
    return rows


def _officer_ids(case: Case, events) -> set[int]:
    ids = set()
    for data in [*case.details.values(), *(e.data for e in events)]:
        for key in OFFICER_KEYS:
            value = data.get(key) if isinstance(data, dict) else None
            if value:
                ids.update(int(v) for v in (value if isinstance(value, list) else [value]))
    return ids


def _handler(procedure: Procedure, code: str):
    action = procedure.actions.get(code)
    return HANDLERS.get(action.handler) if action and action.handler else None


def detail_sections(case: Case, procedure: Procedure, events, officer_names) -> list[dict]:
    """Recorded details (立案, 处理意见, 告知, 决定 …) titled by the action that recorded them."""
    writers: dict[str, tuple[str, object]] = {}
    for event in events:
        handler = _handler(procedure, event.action)
        if handler and handler.key and handler.key in case.details:
            writers[handler.key] = (event.action_name, handler)
    return [
        {
            "title": title,
            "rows": readable_rows(case.details[key], handler.form.base_fields, officer_names),
        }
        for key, (title, handler) in writers.items()
    ]


def timeline(procedure: Procedure, events, officer_names) -> list[dict]:
    rows = []
    for event in events:
        handler = _handler(procedure, event.action)
        fields = handler.form.base_fields if handler else {}
        rows.append(
            {
                "event": event,
                "stage_before": procedure.stages.get(event.stage_before),
                "stage_after": procedure.stages.get(event.stage_after),
                "rows": readable_rows(event.data, fields, officer_names),
                "warnings": event.data.get("warnings", []),
            }
        )
    return rows


def document_rows(case: Case, procedure: Procedure, events, user) -> list[dict]:
    """The 文书 of each performed action (those it issued, by the references its event keeps),
    then any other document issued for this case."""
    issued = {}
    if user.has_perm("records.view_document"):
        issued = {
            d.pk: d
            for d in Document.objects.for_user(user).filter(case_id=case.pk).order_by("created_at", "id")
        }
    rows, shown = [], set()
    for event in events:
        for reference in event.data.get("documents", []):
            document = issued.get(reference["id"])
            rows.append(
                {
                    "name": reference["name"],
                    "number": reference["number"],
                    "action": event.action_name,
                    "document": document,
                }
            )
            shown.add(reference["id"])
    for pk, document in issued.items():
        if pk not in shown:
            rows.append(
                {"name": document.title, "number": document.number, "action": "", "document": document}
            )
    return rows


def document_names(codes) -> list[str]:
    return [KINDS[c].name if c in KINDS else c for c in codes]


class CaseDetailView(ScopedDetailView):
    model = Case
    permission_required = "cases.view_case"
    template_name = "cases/case_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("agency", "procedure", "field", "region", "power_item", "created_by")
            .prefetch_related(
                "parties",
                Prefetch("assignments", queryset=CaseOfficer.objects.select_related("officer__organization")),
                "deadlines",
                Prefetch("events", queryset=CaseEvent.objects.select_related("actor").order_by("sequence")),
            )
        )

    def get_context_data(self, **kwargs):
        case, user = self.object, self.request.user
        procedure = procedure_of(case.procedure)
        events = list(case.events.all())
        may_change = user.has_perm("cases.change_case")
        officer_names = {a.officer_id: a.officer.name for a in case.assignments.all()}
        missing = _officer_ids(case, events) - set(officer_names)
        if missing:
            officer_names.update(Officer.objects.filter(pk__in=missing).values_list("pk", "name"))
        deadlines = list(case.deadlines.all())
        for d in deadlines:
            d.css = LEVEL_CSS.get(d.level, "")
        parties = list(case.parties.all())
        for p in parties:
            p.shown_id = p.id_number if may_change else mask_id_number(p.id_number)
        return super().get_context_data(
            procedure=procedure,
            stage_name=procedure.stage_name(case.stage) if case.stage in procedure.stages else case.stage,
            parties=parties,
            may_change=may_change,
            running=[d for d in deadlines if d.status in (DeadlineStatus.RUNNING, DeadlineStatus.SUSPENDED)],
            closed=[
                d for d in deadlines if d.status not in (DeadlineStatus.RUNNING, DeadlineStatus.SUSPENDED)
            ],
            timeline=timeline(procedure, events, officer_names),
            sections=detail_sections(case, procedure, events, officer_names),
            documents=document_rows(case, procedure, events, user),
            surcharge=services.surcharge_owed(case, deadlines),
            actions=self._actions(case, may_change),
            legal_review=review_summary(case),
            publications=list(case.publications.order_by("pk"))
            if user.has_perm("publicity.view_publication")
            else [],
            **kwargs,
        )

    def _actions(self, case: Case, may_change: bool) -> dict | None:
        if not may_change or case.status != "open":
            return None
        rows = [
            {
                "action": a.action,
                "allowed": a.allowed,
                "refusals": a.refusals,
                "warnings": a.warnings,
                "documents": document_names(a.action.documents),
            }
            for a in engine.available_actions(case, self.request.user)
        ]
        return {
            "allowed": [r for r in rows if r["allowed"]],
            "refused": [r for r in rows if not r["allowed"]],
        }


# --- Actions ---------------------------------------------------------------------------------
class CaseActionView(StaffMixin, TemplateView):
    """One guided form per action. The hidden request key makes a double click or a phone retry
    the same request; the hidden version refuses a submission made on a page someone else has
    since changed."""

    permission_required = "cases.change_case"
    template_name = "cases/case_action.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            queryset = Case.objects.for_user(request.user).select_related("procedure", "agency", "field")
            self.case = get_object_or_404(queryset, pk=kwargs["pk"])
            self.procedure = procedure_of(self.case.procedure)
            self.action = self.procedure.actions.get(kwargs["code"])
            if self.action is None:
                raise Http404("本程序没有该操作。")
        return super().dispatch(request, *args, **kwargs)

    def form_class(self):
        handler = HANDLERS.get(self.action.handler) if self.action.handler else None
        return handler.form if handler else ConfirmForm

    def initial(self, form_class) -> dict:
        # ISO text, not a date: the handlers' date inputs have no format and a browser's
        # <input type="date"> only takes YYYY-MM-DD.
        today = timezone.localdate().isoformat()
        initial = {
            name: today
            for name, field in form_class.base_fields.items()
            if isinstance(field, forms.DateField) and name != "hearing_on"
        }
        details = self.case.details
        if self.action.handler in ("penalty_decision", "summary_decision") and details.get("proposal"):
            initial.update({k: v for k, v in details["proposal"].items() if k in form_class.base_fields})
        if self.action.handler == "payment" and details.get("decision", {}).get("fine"):
            initial["amount"] = details["decision"]["fine"]
        return initial

    def build_form(self, data=None):
        form_class = self.form_class()
        form = form_class(data, initial=self.initial(form_class))
        if any(name in form.fields for name in OFFICER_KEYS):
            officers = (
                Officer.objects.filter(organization__path__startswith=self.case.agency.path)
                .active()
                .select_related("organization")
                .order_by("name", "id")
            )
            guide_officer_fields(form, officers)
        if self.action.handler == "summary_decision":
            guide_summary_kinds(form)
        return form

    def _availability(self) -> engine.Availability:
        return next(
            a
            for a in engine.available_actions(self.case, self.request.user)
            if a.action.code == self.action.code
        )

    def get(self, request, *args, **kwargs):
        availability = self._availability()
        return self._render(
            self.build_form(),
            ActionMetaForm.fresh(self.case),
            refusals=availability.refusals,
            warnings=availability.warnings,
        )

    def post(self, request, *args, **kwargs):
        form, meta = self.build_form(request.POST), ActionMetaForm(request.POST)
        if request.POST.get("calculate") and self.action.handler == "proposal":
            return self._calculate(form, meta)
        if not all([form.is_valid(), meta.is_valid()]):
            meta = meta if meta.is_valid() else ActionMetaForm.fresh(self.case)
            if refusals := self._availability().refusals:  # the reason it cannot be done comes first
                return self._render(form, meta, refusals=refusals, refused=True)
            return self._render(form, meta)
        try:
            event, created = engine.perform(
                self.case.pk,
                self.action.code,
                request.user,
                engine_data(form),
                expected_version=meta.cleaned_data["expected_version"],
                request_key=meta.cleaned_data["request_key"],
            )
        except engine.StaleCase as exc:
            return self._render(form, meta, refusals=exc.refusals, stale=True)
        except engine.ActionRefused as exc:
            return self._render(form, meta, refusals=exc.refusals, refused=True)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self._render(form, meta)
        self._notify(event, created)
        return redirect(self.case)

    def _calculate(self, form, meta):
        """S8: the calculator's suggestion for the circumstances entered; nothing is saved."""
        from . import discretion

        meta = meta if meta.is_valid() else ActionMetaForm.fresh(self.case)
        result = None
        if form.is_valid():
            try:
                result = discretion.evaluate(self.case, form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
        return self._render(form, meta, discretion=result)

    def _notify(self, event: CaseEvent, created: bool) -> None:
        if not created:
            messages.info(
                self.request,
                f"“{event.action_name}”已于{timezone.localtime(event.occurred_at):%Y-%m-%d %H:%M}办理"
                f"（第{event.sequence}项记录），重复提交未再次办理。",
            )
            return
        messages.success(self.request, f"已完成“{event.action_name}”。")
        for warning in event.data.get("warnings", []):
            messages.warning(self.request, f"{warning['message']}（{warning['rule']}，{warning['basis']}）")

    def _render(self, form, meta, **extra):
        if self.action.handler == "proposal" and self.case.power_item_id:
            from zhifa.powers.services import discretion_for

            extra.setdefault("benchmark", discretion_for(self.case.power_item, timezone.localdate()))
            extra["calculator"] = True
        return self.render_to_response(
            self.get_context_data(
                case=self.case,
                procedure=self.procedure,
                action=self.action,
                stage_name=self.procedure.stage_name(self.case.stage),
                documents=document_names(self.action.documents),
                form=form,
                meta=meta,
                **extra,
            )
        )
