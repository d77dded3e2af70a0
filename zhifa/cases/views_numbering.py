"""案号格式: each agency may write its 案号 its own way per procedure (agency heads for their own
agency, administrators for any); without a setting the procedure definition's pattern is used."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.views.generic import ListView

from zhifa.core.scope import scope_for
from zhifa.core.views import ScopedCreateView, ScopedUpdateView, StaffMixin
from zhifa.organizations.models import Organization

from . import services
from .definitions import procedure_of
from .forms import agencies_for
from .models import CaseNumberPattern

SAMPLE_SHORT_NAME = "某某局"


class CaseNumberPatternForm(forms.ModelForm):
    class Meta:
        model = CaseNumberPattern
        fields = ["agency", "procedure_code", "pattern", "pad_width"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = agencies_for(user)
        defaults = {v.code: procedure_of(v).number_pattern for v in services.current_procedures()}
        self.fields["procedure_code"].choices = [
            (code, f"{name}（默认：{defaults[code]}）" if code in defaults else name)
            for code, name in self.fields["procedure_code"].choices
            if code
        ]
        if self.instance.pk:
            self.fields["agency"].disabled = True
            self.fields["procedure_code"].disabled = True


def own_agency(user) -> Organization | None:
    """The 执法主体 whose subtree is the user's scope (agency staff); None for administrators and
    supervisors, whose scope is everything or a region."""
    scope = scope_for(user)
    if scope.everything or not scope.root_path:
        return None
    return Organization.objects.filter(path=scope.root_path, kind="agency").first()


class CaseNumberPatternListView(StaffMixin, ListView):
    permission_required = "cases.view_casenumberpattern"
    template_name = "cases/number_pattern_list.html"
    paginate_by = 100

    def get_queryset(self):
        return CaseNumberPattern.objects.for_user(self.request.user).select_related("agency")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = timezone.localdate()
        agency = own_agency(self.request.user)
        versions = sorted(services.current_procedures(today), key=lambda v: v.code)
        names = {v.code: v.name for v in versions}
        defaults = {v.code: procedure_of(v).number_pattern for v in versions}
        own = {}
        if agency is not None:
            own = {p.procedure_code: p for p in CaseNumberPattern.objects.filter(agency=agency)}

        def effective(code):
            return (own[code].pattern, own[code].pad_width) if code in own else (defaults[code], 0)

        # Examples: the real next 案号 of the user's own agency; for users without one (administrators,
        # supervisors) the default written for a sample agency with serial 1.
        page = [p for p in context["object_list"] if p.procedure_code in defaults]
        page_rows = [(p.agency, p.procedure_code, p.pattern, p.pad_width) for p in page]
        if agency is not None:
            own_rows = [(agency, code, *effective(code)) for code in defaults]
            examples = services.next_case_numbers(own_rows + page_rows, today)
            default_examples, page_examples = examples[: len(own_rows)], examples[len(own_rows) :]
        else:
            sample = Organization(name=SAMPLE_SHORT_NAME, short_name=SAMPLE_SHORT_NAME)
            default_examples = [
                services.format_case_number(pattern, 0, sample, today.year, 1)
                for pattern in defaults.values()
            ]
            page_examples = services.next_case_numbers(page_rows, today)
        next_numbers = dict(zip((p.pk for p in page), page_examples, strict=True))
        context["procedures"] = [
            {
                "code": v.code,
                "name": v.name,
                "default": defaults[v.code],
                "own": own.get(v.code),
                "example": example,
            }
            for v, example in zip(versions, default_examples, strict=True)
        ]
        context["rows"] = [
            {
                "pattern": p,
                "procedure": names.get(p.procedure_code) or p.get_procedure_code_display(),
                "next": next_numbers.get(p.pk, ""),
            }
            for p in context["object_list"]
        ]
        context.update(own_agency=agency, year=today.year)
        return context


class PatternFormMixin:
    model = CaseNumberPattern
    form_class = CaseNumberPatternForm
    template_name = "cases/number_pattern_form.html"

    def form_valid(self, form):
        try:
            self.object = services.save_case_number_pattern(self.request.user, form.save(commit=False))
        except ValidationError as exc:
            form.add_error(None, exc)
            return self.form_invalid(form)
        messages.success(self.request, "案号格式已保存；已编的案号不变，本年度序号继续顺延。")
        return redirect("cases:number_pattern_list")


class CaseNumberPatternCreateView(PatternFormMixin, ScopedCreateView):
    permission_required = "cases.add_casenumberpattern"

    def get_initial(self):
        initial = super().get_initial()
        for key in ("agency", "procedure_code"):
            if value := self.request.GET.get(key):
                initial[key] = value
        return initial


class CaseNumberPatternUpdateView(PatternFormMixin, ScopedUpdateView):
    permission_required = "cases.change_casenumberpattern"
