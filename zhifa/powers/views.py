from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.generic import DetailView, FormView, View
from django_filters.views import FilterView

from zhifa.core.views import (
    ScopedCreateView,
    ScopedDetailView,
    ScopedListView,
    ScopedUpdateView,
    StaffMixin,
    export_response,
)

from . import discretion_import, lawtext, rules, services
from .discretion_import import BenchmarkHeader
from .filters import BenchmarkFilter, InspectionItemFilter, LawFilter, PowerItemFilter
from .forms import (
    ArticleLookupForm,
    BenchmarkForm,
    BenchmarkImportForm,
    CalculatorForm,
    InspectionItemForm,
    LawUploadForm,
    PowerItemForm,
    TierFormSet,
    WithdrawForm,
)
from .models import (
    Article,
    DiscretionBenchmark,
    DiscretionTier,
    InspectionItem,
    InspectionItemBasis,
    Law,
    LawVersion,
    PowerItem,
    PowerItemBasis,
)

POWER_EXPORT_HEADERS = [
    "事项编码",
    "事项名称",
    "子项名称",
    "事项类别",
    "实施主体",
    "承办机构",
    "行使层级",
    "实施依据",
    "关联条文",
    "处罚种类",
    "罚款下限（元）",
    "罚款上限（元）",
    "倍数基数",
    "倍数下限",
    "倍数上限",
    "处罚幅度说明",
    "责任事项",
    "追责情形",
    "状态",
]
INSPECTION_EXPORT_HEADERS = [
    "抽查领域",
    "抽查事项",
    "检查对象",
    "检查主体",
    "配合部门",
    "检查方式",
    "检查内容",
    "抽查比例（频次）",
    "实施层级",
    "检查依据",
    "状态",
]
BASIS_LINKS = Prefetch("basis_links", queryset=PowerItemBasis.objects.select_related("article__version__law"))
INSPECTION_BASIS_LINKS = Prefetch(
    "basis_links", queryset=InspectionItemBasis.objects.select_related("article__version__law")
)


def _links_text(item) -> str:
    return "；".join(
        f"《{link.article.version.law.short_title}》{link.citation_label}" for link in item.basis_links.all()
    )


# --- 法律法规库 ------------------------------------------------------------------------------------
class LawListView(StaffMixin, FilterView):
    model = Law
    permission_required = "powers.view_law"
    filterset_class = LawFilter
    template_name = "powers/law_list.html"
    paginate_by = 50

    def get_queryset(self):
        return services.laws_with_current_version()

    def get_context_data(self, **kwargs):
        return super().get_context_data(lookup_form=ArticleLookupForm(), **kwargs)


class ArticleLookupView(StaffMixin, View):
    """Jump to 第X条 of a law named by title or short title (“食品安全法” + “122” or “一百二十二”)."""

    permission_required = "powers.view_article"

    def get(self, request):
        form = ArticleLookupForm(request.GET)
        if form.is_valid():
            try:
                number = lawtext.chinese_to_int(form.cleaned_data["number"].strip().strip("第条"))
            except ValueError:
                number = None
            article = number and services.find_article(form.cleaned_data["law"], number)
            if article:
                return redirect(article.get_absolute_url())
        messages.error(request, "没有找到该条文：请核对法律法规名称（全称或简称）和条号。")
        return redirect("powers:law_list")


class LawDetailView(StaffMixin, View):
    permission_required = "powers.view_law"

    def get(self, request, pk):
        law = get_object_or_404(Law, pk=pk)
        version = law.versions.filter(is_current=True).first() or law.versions.first()
        if version is None:
            messages.error(request, "该法规尚无文本。")
            return redirect("powers:law_list")
        return redirect(version.get_absolute_url())


class LawVersionDetailView(StaffMixin, DetailView):
    model = LawVersion
    permission_required = "powers.view_lawversion"
    template_name = "powers/lawversion_detail.html"

    def get_queryset(self):
        return LawVersion.objects.select_related("law")

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            versions=self.object.law.versions.all(),
            **services.version_with_text(self.object),
            **kwargs,
        )


class ArticleDetailView(StaffMixin, DetailView):
    model = Article
    permission_required = "powers.view_article"
    template_name = "powers/article_detail.html"

    def get_queryset(self):
        return Article.objects.select_related("version__law", "chapter__parent").prefetch_related(
            "paragraphs"
        )

    def get_context_data(self, **kwargs):
        article = self.object
        siblings = Article.objects.filter(
            version=article.version, number__in=[article.number - 1, article.number + 1]
        )
        neighbours = {a.number: a for a in siblings}
        current = None
        if not article.version.is_current:
            current = Article.objects.filter(
                version__law=article.version.law, version__is_current=True, number=article.number
            ).first()
        user = self.request.user
        return super().get_context_data(
            previous=neighbours.get(article.number - 1),
            next=neighbours.get(article.number + 1),
            current_article=current,
            power_items=services.power_items_citing(user, article)
            if user.has_perm("powers.view_poweritem")
            else [],
            inspection_items=(
                services.inspection_items_citing(user, article)
                if user.has_perm("powers.view_inspectionitem")
                else []
            ),
            **kwargs,
        )


class LawUploadView(StaffMixin, FormView):
    permission_required = "powers.add_law"
    form_class = LawUploadForm
    template_name = "powers/law_upload.html"

    def form_valid(self, form):
        data = form.cleaned_data
        try:
            result = services.import_law(
                data["text"],
                filename=data["file"].name,
                short_title=data["short_title"],
                version_date=data["version_date"],
                level=data["level"],
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error("file", message)
            return self.form_invalid(form)
        messages.success(self.request, result.message)
        return redirect(result.version.get_absolute_url())


# --- 权责清单 --------------------------------------------------------------------------------------
class PowerItemListView(ScopedListView):
    model = PowerItem
    permission_required = "powers.view_poweritem"
    filterset_class = PowerItemFilter
    template_name = "powers/poweritem_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("agency", "undertaking_unit")

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in {"csv", "xlsx"}:
            queryset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request).qs
            return export_response(
                (
                    _power_row(item)
                    for item in queryset.prefetch_related(BASIS_LINKS).iterator(chunk_size=500)
                ),
                POWER_EXPORT_HEADERS,
                "power-items",
                fmt,
            )
        return super().get(request, *args, **kwargs)


def _power_row(item: PowerItem) -> list:
    return [
        item.code,
        item.name,
        item.sub_name,
        item.get_category_display(),
        item.agency.name,
        item.undertaking_unit_name,
        item.level,
        item.basis_text,
        _links_text(item),
        "、".join(item.penalty_kind_labels),
        item.fine_min,
        item.fine_max,
        item.get_multiple_base_display() if item.multiple_base else "",
        item.multiple_min,
        item.multiple_max,
        item.range_text,
        item.responsibilities,
        item.accountability,
        "有效" if item.is_active else "停用",
    ]


class PowerItemDetailView(ScopedDetailView):
    model = PowerItem
    permission_required = "powers.view_poweritem"
    template_name = "powers/poweritem_detail.html"

    def get_queryset(self):
        return (
            super().get_queryset().select_related("agency", "undertaking_unit").prefetch_related(BASIS_LINKS)
        )

    def get_context_data(self, **kwargs):
        item = self.object
        article_ranges = services.article_fine_ranges(item) if item.is_penalty else None
        return super().get_context_data(
            missing_citations=services.resolve_citations(item.basis_text)[1],
            article_ranges=article_ranges,
            article_range_text=_ranges_text(article_ranges) if article_ranges else "",
            benchmarks=item.benchmarks.order_by("-version")
            if item.is_penalty and self.request.user.has_perm("powers.view_discretionbenchmark")
            else [],
            **kwargs,
        )


def _ranges_text(ranges: lawtext.FineRanges) -> str:
    parts = []
    if ranges.amount_max is not None:
        parts.append(rules.legal_range_text([], ranges.amount_min, ranges.amount_max, "", None, None))
    for base, (low, high) in ranges.multiples.items():
        parts.append(rules.legal_range_text([], None, None, base, low, high))
    return "；".join(parts)


class PowerItemSaveMixin:
    def form_valid(self, form):
        try:
            self.object = services.save_power_item(self.request.user, form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已保存。")
        return redirect(self.object.get_absolute_url())


class PowerItemCreateView(PowerItemSaveMixin, ScopedCreateView):
    model = PowerItem
    form_class = PowerItemForm
    permission_required = "powers.add_poweritem"
    template_name = "powers/poweritem_form.html"


class PowerItemUpdateView(PowerItemSaveMixin, ScopedUpdateView):
    model = PowerItem
    form_class = PowerItemForm
    permission_required = "powers.change_poweritem"
    template_name = "powers/poweritem_form.html"


# --- 随机抽查事项 ---------------------------------------------------------------------------------
class InspectionItemListView(ScopedListView):
    model = InspectionItem
    permission_required = "powers.view_inspectionitem"
    filterset_class = InspectionItemFilter
    template_name = "powers/inspectionitem_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("agency")

    def get(self, request, *args, **kwargs):
        fmt = request.GET.get("export")
        if fmt in {"csv", "xlsx"}:
            queryset = self.filterset_class(request.GET, queryset=self.get_queryset(), request=request).qs
            rows = (
                [
                    i.field_name,
                    i.name,
                    i.target,
                    i.agency.name,
                    i.cooperating_departments,
                    i.method,
                    i.content,
                    i.ratio,
                    i.level,
                    i.basis_text,
                    "有效" if i.is_active else "停用",
                ]
                for i in queryset.iterator(chunk_size=500)
            )
            return export_response(rows, INSPECTION_EXPORT_HEADERS, "inspection-items", fmt)
        return super().get(request, *args, **kwargs)


class InspectionItemDetailView(ScopedDetailView):
    model = InspectionItem
    permission_required = "powers.view_inspectionitem"
    template_name = "powers/inspectionitem_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("agency").prefetch_related(INSPECTION_BASIS_LINKS)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            missing_citations=services.resolve_citations(self.object.basis_text)[1], **kwargs
        )


class InspectionItemSaveMixin:
    def form_valid(self, form):
        try:
            self.object = services.save_inspection_item(self.request.user, form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "已保存。")
        return redirect(self.object.get_absolute_url())


class InspectionItemCreateView(InspectionItemSaveMixin, ScopedCreateView):
    model = InspectionItem
    form_class = InspectionItemForm
    permission_required = "powers.add_inspectionitem"
    template_name = "powers/inspectionitem_form.html"


class InspectionItemUpdateView(InspectionItemSaveMixin, ScopedUpdateView):
    model = InspectionItem
    form_class = InspectionItemForm
    permission_required = "powers.change_inspectionitem"
    template_name = "powers/inspectionitem_form.html"


# --- 裁量基准 (S8) ---------------------------------------------------------------------------------
class BenchmarkListView(ScopedListView):
    model = DiscretionBenchmark
    permission_required = "powers.view_discretionbenchmark"
    filterset_class = BenchmarkFilter
    template_name = "powers/benchmark_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("agency", "power_item")
            .annotate(tier_count=Count("tiers"))
            .order_by("agency__path", "power_item__name", "-version")
        )


class BenchmarkDetailView(ScopedDetailView):
    model = DiscretionBenchmark
    permission_required = "powers.view_discretionbenchmark"
    template_name = "powers/benchmark_detail.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("agency", "power_item", "previous", "published_by")
            .prefetch_related("tiers")
        )

    def get_context_data(self, **kwargs):
        benchmark = self.object
        tiers = list(benchmark.tiers.all())
        form = CalculatorForm(self.request.GET or None, benchmark=benchmark)
        result = None
        if "calculate" in self.request.GET and form.is_valid():
            data = form.cleaned_data
            proposed = None
            if data["proposed_amount"] is not None or data["proposed_kinds"]:
                proposed = services.ProposedPenalty(
                    amount=data["proposed_amount"], kinds=data["proposed_kinds"]
                )
            result = services.check_proposal(
                benchmark.power_item,
                data["circumstances"],
                form.facts(),
                proposed,
                benchmark.effective_from,
                party=data.get("party", ""),
                benchmark=benchmark,
            )
        user = self.request.user
        return super().get_context_data(
            tiers=tiers,
            calculator=form,
            result=result,
            chosen_row=result.suggestion.row if result else None,
            versions=benchmark.power_item.benchmarks.order_by("-version"),
            can_change=benchmark.is_editable and user.has_perm("powers.change_discretionbenchmark"),
            can_publish=user.has_perm("powers.publish_discretionbenchmark"),
            can_revise=not benchmark.is_editable and user.has_perm("powers.add_discretionbenchmark"),
            withdraw_form=WithdrawForm(),
            **kwargs,
        )


class BenchmarkEditMixin(StaffMixin):
    template_name = "powers/benchmark_form.html"
    object = None

    def forms(self, data=None):
        user = self.request.user
        initial = {}
        if self.object is None and (item_id := self.request.GET.get("power_item")):
            initial["power_item"] = item_id
        form = BenchmarkForm(data, instance=self.object, user=user, initial=initial)
        queryset = self.object.tiers.all() if self.object else DiscretionTier.objects.none()
        formset = TierFormSet(data, queryset=queryset, prefix="tiers")
        return form, formset

    def load(self) -> HttpResponse | None:
        """Set ``self.object`` for editing; a response when it cannot be edited."""
        return None

    def get(self, request, *args, **kwargs):
        if response := self.load():
            return response
        form, formset = self.forms()
        return self.render(form, formset)

    def post(self, request, *args, **kwargs):
        if response := self.load():
            return response
        form, formset = self.forms(request.POST)
        if form.is_valid() and formset.is_valid():
            tiers = [
                f.save(commit=False)
                for f in formset.forms
                if f.cleaned_data and not f.cleaned_data.get("DELETE") and (f.has_changed() or f.instance.pk)
            ]
            try:
                benchmark = services.save_benchmark(request.user, form.save(commit=False), tiers)
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                messages.success(request, "已保存为草稿，公布后生效。")
                return redirect(benchmark.get_absolute_url())
        return self.render(form, formset)

    def render(self, form, formset):
        return render(
            self.request, self.template_name, {"form": form, "formset": formset, "object": self.object}
        )


class BenchmarkCreateView(BenchmarkEditMixin, View):
    permission_required = "powers.add_discretionbenchmark"


class BenchmarkUpdateView(BenchmarkEditMixin, View):
    permission_required = "powers.change_discretionbenchmark"

    def load(self):
        self.object = get_object_or_404(
            DiscretionBenchmark.objects.for_user(self.request.user).select_related("power_item"),
            pk=self.kwargs["pk"],
        )
        if not self.object.is_editable:
            messages.error(self.request, "已公布或已撤回的裁量基准不能修改，请“修订为新版本”。")
            return redirect(self.object.get_absolute_url())
        return None


class BenchmarkActionView(StaffMixin, View):
    """POST-only state changes: publish, withdraw, revise."""

    action = ""

    def post(self, request, pk):
        benchmark = get_object_or_404(DiscretionBenchmark.objects.for_user(request.user), pk=pk)
        try:
            if self.action == "publish":
                services.publish_benchmark(request.user, benchmark)
                messages.success(request, "已公布，公示网站同步显示。")
            elif self.action == "withdraw":
                services.withdraw_benchmark(request.user, benchmark, request.POST.get("reason", ""))
                messages.success(request, "已撤回，公示网站不再显示。")
            else:
                benchmark = services.revise_benchmark(request.user, benchmark)
                messages.success(request, f"已生成第{benchmark.version}版草稿，请修改后公布。")
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect(benchmark.get_absolute_url())


class BenchmarkPublishView(BenchmarkActionView):
    permission_required = "powers.publish_discretionbenchmark"
    action = "publish"


class BenchmarkWithdrawView(BenchmarkActionView):
    permission_required = "powers.publish_discretionbenchmark"
    action = "withdraw"


class BenchmarkReviseView(BenchmarkActionView):
    permission_required = "powers.add_discretionbenchmark"
    action = "revise"


class BenchmarkImportView(StaffMixin, FormView):
    permission_required = "powers.add_discretionbenchmark"
    form_class = BenchmarkImportForm
    template_name = "powers/benchmark_import.html"

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def form_valid(self, form):
        data = form.cleaned_data
        header = BenchmarkHeader(
            agency=data["agency"],
            title=data["title"].strip().strip("《》"),
            document_number=data["document_number"].strip(),
            effective_from=data["effective_from"],
            band_boundary=data["band_boundary"],
        )
        report = services.import_benchmarks(self.request.user, header, data["file"])
        if report.imported:
            messages.success(self.request, f"已导入{report.imported}个事项的裁量基准（草稿），请核对后公布。")
        return self.render_to_response(self.get_context_data(form=form, report=report))


def benchmark_template(request):
    if not request.user.is_authenticated or not request.user.has_perm("powers.add_discretionbenchmark"):
        raise Http404
    response = HttpResponse(
        discretion_import.template_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        "attachment; filename*=UTF-8''%E8%A3%81%E9%87%8F%E5%9F%BA%E5%87%86%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx"
    )
    return response
