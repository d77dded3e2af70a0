"""Demo 法制审核 for ``make run``: the 示范市市场监管局 目录清单, a round waiting for the demo
reviewer, and a reviewed, decided case whose 备案 is with the 司法局. Driven through the engine and
the services, so every rule applies."""

from __future__ import annotations

import itertools
from datetime import timedelta
from decimal import Decimal

from zhifa.accounts.models import User
from zhifa.cases import engine
from zhifa.cases.demo import _company
from zhifa.cases.services import create_case
from zhifa.core.demo import DemoContext
from zhifa.organizations.models import Organization
from zhifa.personnel.models import Officer
from zhifa.personnel.services import may_enforce

from . import rules, services
from .models import CatalogueEntry, Filing

_keys = itertools.count(1)
PROPOSAL = {
    "facts": "当事人销售超过保质期的婴幼儿配方乳粉36罐，货值金额21600元。",
    "evidence": "现场检查笔录、询问笔录、进货单据、产品标签照片",
    "violated": "《中华人民共和国食品安全法》第三十四条第（十）项",
    "basis": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
    "penalty_kinds": ["fine", "confiscate_income"],
    "fine": "150000",
    "confiscation": "2160",
}


def load(ctx: DemoContext) -> None:
    agency = Organization.objects.get(name="示范市市场监督管理局")
    _catalogue(agency)
    reviewer = User.objects.filter(username="demo_market_reviewer").first()
    field, region = agency.fields.first(), agency.region
    officers = [
        o
        for o in Officer.objects.filter(organization__path__startswith=agency.path, user__isnull=True)
        if may_enforce(o, field, region, ctx.today).allowed
    ][:2]
    if reviewer is None or len(officers) < 2:
        return
    officer_user = User.objects.get(username="demo_market_officer")
    head = User.objects.get(username="demo_market_head")

    def act(case, code, user, **data):
        case.refresh_from_db()
        engine.perform(
            case.pk, code, user, data, expected_version=case.version, request_key=f"demo-review-{next(_keys)}"
        )

    def notified_case(serial: int, cause: str):
        case = create_case(
            officer_user,
            agency=agency,
            procedure_code="penalty_general",
            parties=[_company(serial)],
            source="complaint",
            field=field,
            region=region,
            cause=cause,
            discovered_on=ctx.today - timedelta(days=30),
            violation_date=ctx.today - timedelta(days=45),
        )
        act(case, "file_case", head, officers=",".join(str(o.pk) for o in officers), approval_note="同意立案")
        act(case, "finish_investigation", officer_user, **PROPOSAL)
        act(
            case,
            "notify",
            officer_user,
            served_on=(ctx.today - timedelta(days=14)).isoformat(),
            method="direct",
        )
        return case

    waiting = notified_case(11, "销售超过保质期的婴幼儿配方乳粉")
    services.submit(
        waiting,
        officer_user,
        outcome=services.PENALTY,
        review_report=_report(),
        request_key="demo-review-waiting",
    )

    decided = notified_case(12, "销售超过保质期的婴幼儿配方乳粉")
    round_, _ = services.submit(
        decided,
        officer_user,
        outcome=services.PENALTY,
        review_report=_report(),
        request_key="demo-review-decided",
    )
    services.assign(round_, reviewer, head)
    services.record_opinion(
        round_,
        reviewer,
        rules.OpinionDraft(
            rules.Opinion.AGREE,
            "本案事实清楚，证据确凿，适用依据正确，程序合法，罚款数额在法定幅度内，同意承办机构的处理意见。",
            {code: {"result": rules.ItemResult.PASS, "comment": ""} for code, _ in rules.CHECKLIST},
        ),
    )
    act(
        decided,
        "decide_penalty",
        head,
        **PROPOSAL,
        decided_on=ctx.today.isoformat(),
        payment_method="自收到本决定书之日起十五日内到指定银行或者通过电子支付系统缴纳",
    )
    filing = Filing.objects.get(case=decided)
    services.submit_filing(
        filing,
        officer_user,
        "本案罚款十五万元，属于本机关法制审核目录清单事项，经法制审核同意后作出决定，现报请备案。",
    )


def _report() -> str:
    return "当事人销售超过保质期的婴幼儿配方乳粉，货值金额二万一千六百元，拟没收违法所得并处罚款十五万元（货值金额不足一万元以外情形，按货值金额十五倍以上三十倍以下计罚的从轻档次）。"


def _catalogue(agency) -> None:
    CatalogueEntry.objects.bulk_create(
        [
            CatalogueEntry(
                agency=agency,
                title="对法人或者其他组织处十万元以上罚款、对自然人处一万元以上罚款",
                min_fine_natural=Decimal("10000"),
                min_fine_organisation=Decimal("100000"),
                basis="《示范市市场监督管理局重大执法决定法制审核目录清单》第一项",
                is_published=True,
            ),
            CatalogueEntry(
                agency=agency,
                title="责令停产停业、吊销许可证件",
                penalty_kinds=["suspend_business", "revoke_license"],
                basis="《示范市市场监督管理局重大执法决定法制审核目录清单》第二项",
                is_published=True,
            ),
        ]
    )
