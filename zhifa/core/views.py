"""Shared staff view building blocks: every list, detail, form and export is scoped."""

from __future__ import annotations

import csv
from io import BytesIO

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.generic import CreateView, DetailView, UpdateView
from django_filters.views import FilterView
from openpyxl import Workbook

from .dashboard import dashboard_panels
from .scope import scope_for


class StaffMixin(LoginRequiredMixin, PermissionRequiredMixin):
    raise_exception = False

    def handle_no_permission(self):
        if self.request.user.is_authenticated:
            raise PermissionDenied("您的角色无权执行此操作。")
        return super().handle_no_permission()


class ScopedMixin:
    model = None

    def get_queryset(self):
        return self.model.objects.for_user(self.request.user)


class UserFormMixin:
    """Pass the user to the form so its choices are limited to the user's scope."""

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}


class ScopedListView(StaffMixin, ScopedMixin, FilterView):
    paginate_by = 50

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        params = self.request.GET.copy()
        params.pop("page", None)
        context["query_string"] = params.urlencode()
        return context


class ScopedDetailView(StaffMixin, ScopedMixin, DetailView):
    pass


class SavedMessageMixin:
    success_message = "已保存。"

    def form_valid(self, form):
        with transaction.atomic():
            response = super().form_valid(form)
        messages.success(self.request, self.success_message)
        return response


class ScopedCreateView(StaffMixin, UserFormMixin, SavedMessageMixin, CreateView):
    pass


class ScopedUpdateView(StaffMixin, ScopedMixin, UserFormMixin, SavedMessageMixin, UpdateView):
    pass


# --- Export ---------------------------------------------------------------------------------
def export_response(rows, headers: list[str], filename: str, fmt: str) -> HttpResponse:
    """CSV (streamed, UTF-8 with BOM so Excel opens it) or xlsx of already-scoped rows."""
    stamp = timezone.localdate().strftime("%Y%m%d")
    if fmt == "xlsx":
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(headers)
        for row in rows:
            sheet.append(list(row))
        buffer = BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}-{stamp}.xlsx"
        return response

    class Echo:
        def write(self, value):
            return value

    writer = csv.writer(Echo())

    def stream():
        yield "\ufeff"
        yield writer.writerow(headers)
        for row in rows:
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{filename}-{stamp}.csv"
    return response


@login_required
def home(request):
    return render(
        request,
        "core/home.html",
        {"scope": scope_for(request.user), "panels": dashboard_panels(request.user)},
    )
