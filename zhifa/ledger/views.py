"""Staff pages of the ledger: its state, the checkpoints, signing on demand, and a leaf's data."""

from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect
from django.views import View
from django.views.generic import TemplateView

from zhifa.core.views import StaffMixin

from . import services
from .models import LedgerCheckpoint, LedgerLeaf


class StatusView(StaffMixin, TemplateView):
    permission_required = "ledger.view_ledgercheckpoint"
    template_name = "ledger/status.html"

    def get_context_data(self, **kwargs):
        page = Paginator(LedgerCheckpoint.objects.order_by("-size"), 20).get_page(
            self.request.GET.get("page")
        )
        index = self.request.GET.get("index", "").strip()
        return super().get_context_data(
            tree=services.tree_state(),
            pending=LedgerLeaf.objects.filter(index__isnull=True).count(),
            key=services.public_key_info(),
            page_obj=page,
            checkpoints=page.object_list,
            index=index,
            **kwargs,
        )

    def get(self, request, *args, **kwargs):
        index = request.GET.get("index", "").strip()
        if index.isdigit():
            return redirect("ledger:leaf", index=int(index))
        return super().get(request, *args, **kwargs)


class SignCheckpointView(StaffMixin, View):
    permission_required = "ledger.add_ledgercheckpoint"

    def post(self, request):
        try:
            checkpoint, created = services.checkpoint()
        except (services.LedgerError, ImproperlyConfigured) as exc:
            messages.error(request, f"签发失败：{exc}")
            return redirect("ledger:status")
        if checkpoint is None:
            messages.info(request, "存证日志还没有记录，无需签发检查点。")
        elif created:
            messages.success(request, f"已签发检查点：树大小 {checkpoint.size}。")
        else:
            messages.info(request, f"自上次检查点（树大小 {checkpoint.size}）以来没有新记录，无需重新签发。")
        return redirect("ledger:status")


class LeafView(StaffMixin, TemplateView):
    """A leaf's position and hash; its canonical JSON when the user's scope covers its agency."""

    permission_required = "ledger.view_ledgerleaf"
    template_name = "ledger/leaf.html"

    def get_context_data(self, **kwargs):
        leaf = LedgerLeaf.objects.filter(index=self.kwargs["index"]).first()
        if leaf is None:
            raise Http404("没有该序号的叶子（可能尚待排序）。")
        in_scope = LedgerLeaf.objects.for_user(self.request.user).filter(pk=leaf.pk).exists()
        return super().get_context_data(leaf=leaf, in_scope=in_scope, **kwargs)
