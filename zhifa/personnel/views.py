from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Sum
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.generic import FormView, ListView, UpdateView

from zhifa.core.views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    StaffMixin,
    export_response,
)

from . import importing, services
from .filters import CertificateFilter, OfficerFilter
from .forms import (
    CertificateForm,
    ExamForm,
    ImportForm,
    InspectionForm,
    OfficerForm,
    PolicyForm,
    ReasonForm,
    ReinstateForm,
    RevokeForm,
    TrainingForm,
)
from .models import Certificate, CertificateStatus, Officer, PersonnelPolicy
from .paging import CountlessPaginator
from .qr import qr_svg


def apply_errors(form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names (others at the top)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def shows_id_number(user) -> bool:
    """Only users who may change officers see the full 身份证号; others see it masked."""
    return user.has_perm("personnel.change_officer")


def label_units(objects, officer_of) -> None:
    """Give each officer a ``unit_label`` (“执法主体 内设机构”) with one query for the page."""
    objects = list(objects)
    labels = services.unit_labels({officer_of(o).organization for o in objects})
    for o in objects:
        officer = officer_of(o)
        officer.unit_label = labels[officer.organization_id]


def chunked(iterable, size: int):
    chunk = []
    for item in iterable:
        chunk.append(item)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


# --- Officers --------------------------------------------------------------------------------
EXPORT_HEADERS = [
    "姓名",
    "性别",
    "身份证号",
    "所在单位",
    "职务",
    "用工性质",
    "状态",
    "证件编号",
    "执法类别",
    "执法区域",
    "发证机关",
    "有效期至",
    "证件状态",
]


def _current_certificates():
    return Prefetch(
        "certificates",
        queryset=Certificate.objects.exclude(status=CertificateStatus.REVOKED)
        .select_related("issuing_authority")
        .prefetch_related("fields", "regions")
        .order_by("-valid_until", "id"),
        to_attr="current_certificates",
    )


class OfficerListView(ScopedListView):
    model = Officer
    permission_required = "personnel.view_officer"
    filterset_class = OfficerFilter
    template_name = "personnel/officer_list.html"
    paginator_class = CountlessPaginator

    def get_queryset(self):
        return super().get_queryset().select_related("organization").prefetch_related(_current_certificates())

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in {"csv", "xlsx"}:
            queryset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request).qs
            return export_response(
                self._rows(queryset, shows_id_number(request.user)), EXPORT_HEADERS, "officers", fmt
            )
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        label_units(context["object_list"], lambda o: o)
        return context

    @staticmethod
    def _rows(queryset, full_id: bool):
        for chunk in chunked(queryset.iterator(chunk_size=500), 500):
            label_units(chunk, lambda o: o)
            for o in chunk:
                yield from OfficerListView._officer_rows(o, full_id)

    @staticmethod
    def _officer_rows(o, full_id: bool):
        identity = [o.name, o.get_gender_display(), o.id_number if full_id else o.masked_id_number]
        person = [o.unit_label, o.position, o.get_employment_type_display(), o.get_status_display()]
        if not o.current_certificates:
            yield [*identity, *person, "", "", "", "", "", ""]
        for c in o.current_certificates:
            yield [
                *identity,
                *person,
                c.number,
                "、".join(f.name for f in c.fields.all()),
                "、".join(r.name for r in c.regions.all()),
                c.issuing_authority.name,
                c.valid_until.isoformat(),
                c.state_label,
            ]


class OfficerDetailView(ScopedDetailView):
    model = Officer
    permission_required = "personnel.view_officer"
    template_name = "personnel/officer_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("organization", "user")

    def get_context_data(self, **kwargs):
        officer = self.object
        label_units([officer], lambda o: o)
        certificates = list(services.certificates_with_details(officer))
        for certificate in certificates:
            certificate.qr = (
                qr_svg(self.request, certificate.number) if certificate.status != "revoked" else ""
            )
        trainings = list(officer.trainings.all())
        per_year = officer.trainings.order_by("-year").values("year").annotate(total=Sum("hours"))
        return super().get_context_data(
            certificates=certificates,
            eligibility=services.eligibility_overview(officer, certificates),
            warnings=services.certificate_warnings(officer, certificates),
            trainings=trainings,
            training_years=list(per_year),
            min_hours=services.policy_for(officer.organization.region).min_training_hours,
            exams=list(officer.exams.all()),
            show_id=shows_id_number(self.request.user),
            **kwargs,
        )


class OfficerCreateView(ScopedCreateView):
    model = Officer
    form_class = OfficerForm
    permission_required = "personnel.add_officer"
    template_name = "personnel/officer_form.html"

    def form_valid(self, form):
        try:
            self.object = services.create_officer(self.request.user, form.save(commit=False))
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "执法人员已登记。")
        return redirect(self.object.get_absolute_url())


class OfficerUpdateView(ScopedUpdateView):
    model = Officer
    form_class = OfficerForm
    permission_required = "personnel.change_officer"
    template_name = "personnel/officer_form.html"

    def form_valid(self, form):
        try:
            self.object = services.update_officer(self.request.user, form.save(commit=False))
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已保存。")
        return redirect(self.object.get_absolute_url())


@login_required
def officer_photo(request, pk):
    if not request.user.has_perm("personnel.view_officer"):
        raise Http404
    officer = get_object_or_404(Officer.objects.for_user(request.user).exclude(photo=""), pk=pk)
    return _photo_response(officer)


def _photo_response(officer):
    response = FileResponse(officer.photo.open("rb"))
    response["Cache-Control"] = "private, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
def my_officer(request):
    officer = Officer.objects.filter(user=request.user).first()
    if officer is None:
        messages.warning(request, "您的账号尚未关联执法人员信息，请联系本单位管理人员。")
        return redirect("core:home")
    return redirect(officer.get_absolute_url())


# --- Certificates ----------------------------------------------------------------------------
class CertificateListView(ScopedListView):
    model = Certificate
    permission_required = "personnel.view_certificate"
    filterset_class = CertificateFilter
    template_name = "personnel/certificate_list.html"
    paginator_class = CountlessPaginator

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("officer__organization", "issuing_authority")
            .prefetch_related("fields", "regions")
            .order_by("valid_until", "id")
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        label_units(context["object_list"], lambda c: c.officer)
        return context


class OfficerChildMixin(StaffMixin):
    """Pages that act on one officer or certificate found within the user's scope (404 outside)."""

    parent_model = Officer

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            queryset = self.parent_model.objects.for_user(request.user)
            self.parent = get_object_or_404(queryset, pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    @property
    def officer(self):
        return self.parent if isinstance(self.parent, Officer) else self.parent.officer

    def get_context_data(self, **kwargs):
        return super().get_context_data(officer=self.officer, parent=self.parent, **kwargs)

    def get_success_url(self):
        return self.officer.get_absolute_url()


class CertificateIssueView(OfficerChildMixin, FormView):
    permission_required = "personnel.add_certificate"
    form_class = CertificateForm
    template_name = "personnel/certificate_form.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        certificate = form.save(commit=False)
        certificate.officer = self.officer
        try:
            services.issue_certificate(
                self.request.user, certificate, form.cleaned_data["fields"], form.cleaned_data["regions"]
            )
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"执法证件{certificate.number}已发放。")
        return super().form_valid(form)


class CertificateActionView(OfficerChildMixin, FormView):
    parent_model = Certificate
    permission_required = "personnel.change_certificate"
    template_name = "personnel/certificate_action.html"
    action = ""
    titles = {"suspend": "暂扣执法证件", "revoke": "注销执法证件", "reinstate": "恢复执法证件"}
    forms = {"suspend": ReasonForm, "revoke": RevokeForm, "reinstate": ReinstateForm}

    def get_form_class(self):
        return self.forms[self.action]

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.titles[self.action], certificate=self.parent, **kwargs)

    def form_valid(self, form):
        data, user, certificate = form.cleaned_data, self.request.user, self.parent
        try:
            if self.action == "suspend":
                services.suspend_certificate(user, certificate, data["reason"])
            elif self.action == "revoke":
                services.revoke_certificate(user, certificate, data["reason"], data["cause"])
            else:
                services.reinstate_certificate(user, certificate, data.get("reason", ""))
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.titles[self.action]}：已完成。")
        return super().form_valid(form)


class RecordCreateView(OfficerChildMixin, FormView):
    """Add a 年审 (to a certificate), a training record or an exam result (to an officer)."""

    template_name = "personnel/record_form.html"
    title = ""
    service = None

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)

    def form_valid(self, form):
        record = form.save(commit=False)
        setattr(record, "certificate" if self.parent_model is Certificate else "officer", self.parent)
        try:
            type(self).service(self.request.user, record)
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, f"{self.title}：已登记。")
        return super().form_valid(form)


class InspectionCreateView(RecordCreateView):
    parent_model = Certificate
    permission_required = "personnel.add_annualinspection"
    form_class = InspectionForm
    title = "登记年审"
    service = services.record_inspection


class TrainingCreateView(RecordCreateView):
    permission_required = "personnel.add_traininghours"
    form_class = TrainingForm
    title = "登记培训学时"
    service = services.record_training


class ExamCreateView(RecordCreateView):
    permission_required = "personnel.add_examresult"
    form_class = ExamForm
    title = "登记考试成绩"
    service = services.record_exam


# --- Import ----------------------------------------------------------------------------------
class ImportView(StaffMixin, FormView):
    permission_required = "personnel.add_officer"
    form_class = ImportForm
    template_name = "personnel/import.html"

    def form_valid(self, form):
        report = services.import_officers(
            self.request.user, form.cleaned_data["file"], only_valid=form.cleaned_data["only_valid"]
        )
        if report.imported:
            messages.success(self.request, f"已导入{report.imported}名执法人员。")
        return self.render_to_response(self.get_context_data(form=form, report=report))


@login_required
def import_template(request):
    if not request.user.has_perm("personnel.add_officer"):
        raise Http404
    response = HttpResponse(
        importing.template_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = "attachment; filename*=UTF-8''执法人员导入模板.xlsx"
    return response


# --- Policy ----------------------------------------------------------------------------------
class PolicyListView(StaffMixin, ListView):
    permission_required = "personnel.view_personnelpolicy"
    template_name = "personnel/policy_list.html"
    queryset = PersonnelPolicy.objects.select_related("region")


class PolicyCreateView(StaffMixin, FormView):
    permission_required = "personnel.add_personnelpolicy"
    form_class = PolicyForm
    template_name = "personnel/policy_form.html"

    def form_valid(self, form):
        try:
            services.save_policy(self.request.user, form.save(commit=False))
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "参数已保存。")
        return redirect("personnel:policy_list")


class PolicyUpdateView(StaffMixin, UpdateView):
    permission_required = "personnel.change_personnelpolicy"
    model = PersonnelPolicy
    form_class = PolicyForm
    template_name = "personnel/policy_form.html"

    def form_valid(self, form):
        try:
            services.save_policy(self.request.user, form.save(commit=False))
        except ValidationError as exc:
            apply_errors(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, "参数已保存。")
        return redirect("personnel:policy_list")
