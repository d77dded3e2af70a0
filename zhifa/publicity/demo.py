"""Demo 公示: the head approves the drafts the demo decisions created, one stays for the demo head
to approve, and one published decision is withdrawn after a 复议 revoked it (G3–G5)."""

from __future__ import annotations

import uuid

from django.db import transaction

from zhifa.accounts.models import User
from zhifa.cases import engine

from . import services
from .models import Category, Publication, Status


@transaction.atomic
def load(ctx) -> None:
    head = User.objects.get(username="demo_market_head")
    drafts = list(
        Publication.objects.filter(status=Status.DRAFT, agency__name="示范市市场监督管理局").order_by("pk")
    )
    if not drafts:
        return
    waiting = drafts.pop()  # left for the demo head: 工作台 → 执法结果公示 → 待审核
    for publication in drafts:
        services.approve(publication.versions.get(), head)
    revoked = next((p for p in drafts if p.category == Category.PENALTY and p.case.status == "open"), None)
    if revoked is None or waiting is None:
        return
    case = revoked.case
    engine.perform(
        case.pk,
        "record_decision_change",
        head,
        {
            "kind": "revoked",
            "decided_by": "reconsideration",
            "document_number": "示府复决〔2026〕1号",
            "known_on": ctx.today.isoformat(),
            "reason": "复议机关认为处罚依据适用错误，决定撤销。",
            "public_reason": "该行政处罚决定已被行政复议机关撤销，撤回公示。",
        },
        expected_version=case.version,
        request_key=f"demo-{uuid.uuid4().hex}",
    )
    services.withdraw(Publication.objects.get(pk=revoked.pk), head)
