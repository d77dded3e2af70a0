"""The home page panel of 法制审核: a reviewer's queue, the 备案 an office has to examine, and
overdue 备案 on the agency's side (L4, L6)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from zhifa.accounts.roles import Role

from . import services
from .models import Filing, FilingStatus, ReviewRound


def dashboard_panel(user) -> dict | None:
    if not user.has_perm("review.view_reviewround"):
        return None
    today, items = timezone.localdate(), []
    if user.has_role(Role.REVIEWER):
        mine = ReviewRound.objects.for_user(user).pending().filter(reviewer=user)
        late = mine.filter(due_on__lt=today).count()
        if count := mine.count():
            items.append(
                _item(
                    f"待您审核{count}件" + (f"，其中逾期{late}件" if late else ""), "review:workbench", late
                )
            )
        if unassigned := ReviewRound.objects.for_user(user).pending().filter(reviewer__isnull=True).count():
            items.append(_item(f"待分配的审核{unassigned}件", "review:workbench", False))
    filings = Filing.objects.for_user(user)
    if user.organization_id and (
        inbox := filings.filter(legal_office=user.organization, status=FilingStatus.SUBMITTED).count()
    ):
        items.append(_item(f"收到待审查的重大执法决定备案{inbox}件", "review:filing_list", False))
    if overdue := services.overdue_filings(filings, today).count():
        items.append(_item(f"逾期未报送的重大执法决定备案{overdue}件（L6）", "review:filing_list", True))
    return {"title": "法制审核与备案", "items": items, "empty": "没有待办的法制审核和备案。"}


def _item(text: str, url_name: str, late) -> dict:
    return {"text": text, "url": reverse(url_name), "level": "bad" if late else "warn"}
