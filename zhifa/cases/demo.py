"""Demo cases for ``make run``, driven through the real engine so every guard and deadline applies."""

from __future__ import annotations

import itertools
from datetime import timedelta

from zhifa.accounts.models import User
from zhifa.core.demo import DemoContext
from zhifa.core.rules import id_number_check_char
from zhifa.organizations.models import Organization
from zhifa.personnel.models import Officer
from zhifa.personnel.services import may_enforce

from . import engine
from .services import create_case

_keys = itertools.count(1)

SHOPS = [
    "示范市鲜果超市有限公司",
    "示范市东门粮油经营部",
    "示范市好味餐饮管理有限公司",
    "示范市百佳便利店有限公司",
]
CREDIT_CODES = ["91350100M000100Y43", "91110000802100433B"]


def _person(serial: int) -> dict:
    body = f"37990219850315{serial:03d}"
    return {
        "kind": "natural_person",
        "name": f"摊主{'甲乙丙丁'[serial % 4]}",
        "id_number": body + id_number_check_char(body),
        "address": "示范市东城区农贸市场",
    }


def _company(serial: int) -> dict:
    return {
        "kind": "legal_person",
        "name": SHOPS[serial % len(SHOPS)],
        "credit_code": CREDIT_CODES[serial % 2],
        "address": "示范市人民路88号",
        "legal_representative": "王经理",
    }


def load(ctx: DemoContext) -> None:
    agency = Organization.objects.get(name="示范市市场监督管理局")
    field, region = agency.fields.first(), agency.region
    officers = [
        o
        for o in Officer.objects.filter(organization__path__startswith=agency.path)
        if may_enforce(o, field, region, ctx.today).allowed
    ][:2]
    if len(officers) < 2:
        return
    officer_user = User.objects.get(username="demo_market_officer")
    head = User.objects.get(username="demo_market_head")
    today = ctx.today

    def new(procedure, party, cause, **extra):
        return create_case(
            officer_user,
            agency=agency,
            procedure_code=procedure,
            parties=[party],
            officer_ids=[o.pk for o in officers] if procedure != "penalty_general" else (),
            source="inspection",
            field=field,
            region=region,
            cause=cause,
            discovered_on=extra.pop("discovered_on", today),
            **extra,
        )

    def act(case, code, user, **data):
        case.refresh_from_db()
        engine.perform(
            case.pk, code, user, data, expected_version=case.version, request_key=f"demo-{next(_keys)}"
        )

    summary = {
        "facts": "当事人销售的商品未按规定明码标价。",
        "evidence": "现场检查笔录、现场照片",
        "place": "示范市东城区农贸市场",
        "violated": "《中华人民共和国价格法》第十三条第一款",
        "basis": "《中华人民共和国价格法》第四十二条",
        "facts_certain": "on",
        "payment_method": "bank",
    }
    new("penalty_summary", _person(1), "未按规定明码标价")
    case = new("penalty_summary", _person(2), "未按规定明码标价")
    act(
        case,
        "decide_on_spot",
        officer_user,
        penalty_kinds=["fine"],
        fine="150",
        decided_on=today.isoformat(),
        **summary,
    )
    case = new("penalty_summary", _company(3), "未按规定明码标价")
    act(
        case,
        "decide_on_spot",
        officer_user,
        penalty_kinds=["warning"],
        decided_on=today.isoformat(),
        **summary,
    )
    act(case, "report_filing", officer_user)

    filing = {"officers": ",".join(str(o.pk) for o in officers), "approval_note": "同意立案"}
    proposal = {
        "facts": "当事人经营标签不符合食品安全标准的预包装食品。",
        "evidence": "现场检查笔录、询问笔录、进货单据",
        "violated": "《中华人民共和国食品安全法》第七十一条第一款",
        "basis": "《中华人民共和国食品安全法》第一百二十五条第一款第二项",
        "penalty_kinds": ["fine", "confiscate_income"],
        "fine": "8000",
        "confiscation": "1200",
    }
    general = new(
        "penalty_general",
        _company(4),
        "经营标签不符合规定的预包装食品",
        violation_date=today - timedelta(days=40),
    )
    act(general, "register_lead", officer_user)
    act(general, "file_case", head, **filing)
    act(
        general,
        "inspect",
        officer_user,
        started_at=f"{today.isoformat()}T09:30",
        ended_at=f"{today.isoformat()}T10:20",
        place="示范市东城区人民路18号当事人经营场所",
        present="当事人负责人",
        recusal="不申请回避",
        content="当事人货架上摆放待售的“香香牌”花生油12桶，标签未标注生产者名称、地址，执法人员对现场拍照取证。",
        recorder=officers[1].name,
    )
    notified = new(
        "penalty_general", _company(5), "经营超过保质期的食品", violation_date=today - timedelta(days=50)
    )
    act(notified, "file_case", head, **filing)
    act(notified, "finish_investigation", officer_user, **proposal)
    act(notified, "notify", officer_user, served_on=(today - timedelta(days=2)).isoformat(), method="direct")

    seizure = new("coercive_seizure", _company(6), "涉嫌经营过期食品，依法扣押")
    act(seizure, "approve_measure", head, reason="证据可能灭失，需扣押检验")
    # R2: the body camera failed on site; the head approved the written explanation
    from zhifa.records import recording

    explained = recording.explain(
        seizure,
        officer_user,
        action="execute_measure",
        rule_code="seizure",
        reason="执法记录仪电池故障，已以现场照片和笔录记录全过程",
    )
    recording.decide(explained, head, approve=True, note="同意，照片和笔录已附卷")
    moment = ctx.today.isoformat() + "T10:00"
    act(
        seizure,
        "execute_measure",
        officer_user,
        measure="detain",
        executed_on=today.isoformat(),
        acted_at=moment,
        place="示范市某仓库",
        items="“宝贝乐”婴幼儿配方奶粉（保质期至2026年9月30日）｜800克/罐｜36罐｜仓库东侧货架",
        reason="当事人仓库内存放的婴幼儿配方奶粉已超过保质期，有证据证明不符合食品安全标准，需扣押送检",
        basis="《中华人民共和国食品安全法》第一百一十条第（四）项",
        storage_place="示范市市场监督管理局涉案物品保管室",
        party_present="on",
    )

    licence = new("licensing", _company(7), "食品经营许可申请", discovered_on=today - timedelta(days=3))
    act(licence, "register_application", officer_user)
    act(licence, "accept", officer_user)
