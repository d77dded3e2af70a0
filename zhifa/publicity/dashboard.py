"""The home page panel of 执法结果公示: drafts waiting for the head and withdrawals due (G3, G5)."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from .models import Publication, Status


def dashboard_panel(user) -> dict | None:
    if not user.has_perm("publicity.view_publication"):
        return None
    today = timezone.localdate()
    publications = Publication.objects.for_user(user)
    drafts = publications.filter(status=Status.DRAFT)
    withdrawals = publications.filter(status=Status.PUBLISHED, withdraw_due_on__isnull=False)
    items = []
    if count := drafts.count():
        late = drafts.filter(due_on__lt=today).count()
        text = f"待审核公示{count}件" + (f"，其中超过公示期限{late}件（G3）" if late else "")
        items.append(_item(text, "todo", late))
    if count := withdrawals.count():
        late = withdrawals.filter(withdraw_due_on__lt=today).count()
        text = f"应撤回的公示{count}件" + (f"，其中逾期{late}件（G5）" if late else "")
        items.append(_item(text, "withdraw", late or True))
    return {"title": "执法结果公示", "items": items, "empty": "没有待审核或待撤回的公示。"}


def _item(text: str, tab: str, late) -> dict:
    return {
        "text": text,
        "url": reverse("publicity:publication_list") + f"?tab={tab}",
        "level": "bad" if late else "warn",
    }
