from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
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

from . import lawtext, rules, services
from .filters import InspectionItemFilter, LawFilter, PowerItemFilter
from .forms import ArticleLookupForm, InspectionItemForm, LawUploadForm, PowerItemForm
from .models import Article, InspectionItem, InspectionItemBasis, Law, LawVersion, PowerItem, PowerItemBasis

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
