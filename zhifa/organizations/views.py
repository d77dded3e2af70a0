from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.generic import CreateView, FormView, ListView, UpdateView

from zhifa.core.views import (
    SavedMessageMixin,
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    StaffMixin,
    UserFormMixin,
    export_response,
)

from . import services
from .filters import OrganizationFilter
from .forms import EnforcementFieldForm, EntrustmentForm, OrganizationForm, RegionForm, RevokeEntrustmentForm
from .models import EnforcementField, Entrustment, Organization, Region

EXPORT_HEADERS = [
    "名称",
    "类型",
    "主体性质",
    "统一社会信用代码",
    "行政区划",
    "执法领域",
    "地址",
    "投诉举报电话",
]


class OrganizationListView(ScopedListView):
    model = Organization
    permission_required = "organizations.view_organization"
    filterset_class = OrganizationFilter
    template_name = "organizations/organization_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("region").prefetch_related("fields")

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in {"csv", "xlsx"}:
            queryset = self.filterset_class(request.GET, queryset=self.get_queryset()).qs
            rows = (
                [
                    o.name,
                    o.get_kind_display(),
                    o.get_subject_kind_display(),
                    o.credit_code,
                    o.region.name,
                    "、".join(f.name for f in o.fields.all()),
                    o.address,
                    o.complaint_phone,
                ]
                for o in queryset.iterator(chunk_size=500)
            )
            return export_response(rows, EXPORT_HEADERS, "organizations", fmt)
        return super().get(request, *args, **kwargs)


class OrganizationDetailView(ScopedDetailView):
    model = Organization
    permission_required = "organizations.view_organization"
    template_name = "organizations/organization_detail.html"

    def get_context_data(self, **kwargs):
        org = self.object
        return super().get_context_data(
            children=Organization.objects.for_user(self.request.user)
            .filter(path__startswith=org.path, depth=org.depth + 1)
            .select_related("region"),
            ancestors=Organization.objects.filter(path__in=org.ancestor_paths()[:-1]),
            entrustments=Entrustment.objects.filter(Q(entrusted=org) | Q(entrusting=org)).select_related(
                "entrusting", "entrusted"
            ),
            **kwargs,
        )


class OrganizationCreateView(ScopedCreateView):
    model = Organization
    form_class = OrganizationForm
    permission_required = "organizations.add_organization"
    template_name = "organizations/organization_form.html"

    def get_initial(self):
        initial = super().get_initial()
        if parent_id := self.request.GET.get("parent"):
            initial["parent"] = parent_id
        return initial

    def form_valid(self, form):
        try:
            self.object = services.create_organization(
                self.request.user,
                form.save(commit=False),
                form.cleaned_data.get("parent"),
                fields=form.cleaned_data.get("fields") or (),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已创建。")
        return redirect(self.object.get_absolute_url())


class OrganizationUpdateView(ScopedUpdateView):
    model = Organization
    form_class = OrganizationForm
    permission_required = "organizations.change_organization"
    template_name = "organizations/organization_form.html"


class EntrustmentCreateView(ScopedCreateView):
    model = Entrustment
    form_class = EntrustmentForm
    permission_required = "organizations.add_entrustment"
    template_name = "organizations/entrustment_form.html"

    def get_initial(self):
        return {**super().get_initial(), "entrusted": self.request.GET.get("entrusted")}

    def form_valid(self, form):
        try:
            self.object = services.save_entrustment(self.request.user, form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "委托协议已登记。")
        return redirect("organizations:organization_detail", self.object.entrusted_id)


class EntrustmentRevokeView(StaffMixin, FormView):
    permission_required = "organizations.change_entrustment"
    form_class = RevokeEntrustmentForm
    template_name = "organizations/entrustment_revoke.html"

    def dispatch(self, request, *args, **kwargs):
        self.entrustment = get_object_or_404(Entrustment.objects.for_user(request.user), pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(entrustment=self.entrustment, **kwargs)

    def form_valid(self, form):
        services.revoke_entrustment(self.request.user, self.entrustment, form.cleaned_data["reason"])
        messages.success(self.request, "委托已终止。")
        return redirect("organizations:organization_detail", self.entrustment.entrusted_id)


# --- Dictionaries: 行政区划 and 执法领域 (national, not scoped; administrators edit them) ----------
class DictionaryListView(StaffMixin, ListView):
    template_name = "organizations/dictionary_list.html"
    paginate_by = 200

    def get_context_data(self, **kwargs):
        model = self.model._meta
        return super().get_context_data(
            title=model.verbose_name,
            create_url=reverse(f"organizations:{model.model_name}_create"),
            update_name=f"organizations:{model.model_name}_update",
            can_add=self.request.user.has_perm(f"organizations.add_{model.model_name}"),
            **kwargs,
        )


class DictionaryFormView(StaffMixin, UserFormMixin, SavedMessageMixin):
    template_name = "organizations/dictionary_form.html"

    def get_success_url(self):
        return reverse(f"organizations:{self.model._meta.model_name}_list")

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.model._meta.verbose_name, **kwargs)


class RegionListView(DictionaryListView):
    model = Region
    permission_required = "organizations.view_region"
    queryset = Region.objects.select_related("parent")


class RegionCreateView(DictionaryFormView, CreateView):
    model, form_class = Region, RegionForm
    permission_required = "organizations.add_region"


class RegionUpdateView(DictionaryFormView, UpdateView):
    model, form_class = Region, RegionForm
    permission_required = "organizations.change_region"


class FieldListView(DictionaryListView):
    model = EnforcementField
    permission_required = "organizations.view_enforcementfield"


class FieldCreateView(DictionaryFormView, CreateView):
    model, form_class = EnforcementField, EnforcementFieldForm
    permission_required = "organizations.add_enforcementfield"


class FieldUpdateView(DictionaryFormView, UpdateView):
    model, form_class = EnforcementField, EnforcementFieldForm
    permission_required = "organizations.change_enforcementfield"
