"""Demo “双随机、一公开”: a 检查对象名录 of 示范市 shops, one task drawn and confirmed, and one
inspection carried through the engine to a 责令限期改正 result."""

from __future__ import annotations

import itertools
from datetime import datetime, time, timedelta

from zhifa.accounts.models import User
from zhifa.cases import engine
from zhifa.core.demo import DemoContext
from zhifa.core.rules import CREDIT_CODE_ALPHABET, credit_code_check_char, id_number_check_char
from zhifa.organizations.models import Organization, Region
from zhifa.powers import services as powers_services
from zhifa.powers.models import InspectionItem

from . import services
from .models import InspectionTarget, InspectionTask, TargetKind

FOOD = "食品经营者"
# (name, kind, 经营者/法定代表人, category, district, address)
SHOPS = [
    ("示范市东城区惠民生鲜超市", TargetKind.INDIVIDUAL_BUSINESS, "刘惠民", FOOD, "east", "东城区建设路18号"),
    ("示范市老街坊餐饮管理有限公司", TargetKind.LEGAL_PERSON, "陈国栋", FOOD, "east", "东城区解放街56号"),
    ("示范市东城区王记早餐店", TargetKind.INDIVIDUAL_BUSINESS, "王秀兰", FOOD, "east", "东城区文化路3号"),
    ("示范市家家福便利店有限公司", TargetKind.LEGAL_PERSON, "赵家福", FOOD, "east", "东城区人民路102号"),
    ("示范市西城区李氏面馆", TargetKind.INDIVIDUAL_BUSINESS, "李建华", FOOD, "west", "西城区和平路27号"),
    ("示范市金穗粮油贸易有限公司", TargetKind.LEGAL_PERSON, "孙金穗", FOOD, "west", "西城区粮库街9号"),
    (
        "示范市西城区鲜果时光水果店",
        TargetKind.INDIVIDUAL_BUSINESS,
        "周晓燕",
        FOOD,
        "west",
        "西城区青年路66号",
    ),
    ("示范市百味烘焙食品有限公司", TargetKind.LEGAL_PERSON, "吴百川", FOOD, "west", "西城区工业园二路8号"),
    (
        "示范市东城区张姐熟食店",
        TargetKind.INDIVIDUAL_BUSINESS,
        "张桂芝",
        FOOD,
        "east",
        "东城区农贸市场东区12号",
    ),
    ("示范市福满楼酒店管理有限公司", TargetKind.LEGAL_PERSON, "郑福满", FOOD, "city", "示范市迎宾大道188号"),
    (
        "示范市益康大药房连锁有限公司",
        TargetKind.LEGAL_PERSON,
        "马益康",
        "药品零售企业",
        "east",
        "东城区健康路5号",
    ),
    (
        "示范市西城区顺达眼镜店",
        TargetKind.INDIVIDUAL_BUSINESS,
        "何顺达",
        "眼镜制配场所",
        "west",
        "西城区商业街21号",
    ),
]
REGION_CODES = {"city": "379900", "east": "379902", "west": "379903"}
_keys = itertools.count(1)


def _credit_code(rng, kind: str, region: str) -> str:
    """A GB 32100 code with a valid check character: 9 (市场监管登记) + 1 企业 / 2 个体工商户."""
    prefix = "92" if kind == TargetKind.INDIVIDUAL_BUSINESS else "91"
    body = prefix + region + "MA" + "".join(rng.choice(CREDIT_CODE_ALPHABET) for _ in range(7))
    return body + credit_code_check_char(body)


def _id_number(rng, region: str) -> str:
    body = f"{region}19{rng.randint(60, 95)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
    return body + id_number_check_char(body)


def load(ctx: DemoContext) -> None:
    agency = Organization.objects.filter(name="示范市市场监督管理局").first()
    if agency is None:
        return
    field = agency.fields.first()
    regions = {key: Region.objects.get(code=code) for key, code in REGION_CODES.items()}
    head = User.objects.get(username="demo_market_head")
    officer_user = User.objects.get(username="demo_market_officer")
    rng = ctx.rng

    for name, kind, person, category, district, address in SHOPS:
        region = regions[district]
        target = InspectionTarget(
            agency=agency,
            name=name,
            kind=kind,
            credit_code=_credit_code(rng, kind, region.code),
            legal_representative=person,
            operator_id_number=_id_number(rng, region.code) if kind == TargetKind.INDIVIDUAL_BUSINESS else "",
            category=category,
            field=field,
            region=region,
            address=f"示范市{address}" if not address.startswith("示范市") else address,
            phone=f"1{rng.choice('358')}{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
        )
        services.save_target(head, target)

    # The demo 随机抽查事项清单 has no item for 食品经营者 yet; the task needs one (tasks may only
    # check listed items), so this step lists it the way an agency would.
    item = powers_services.store_item(
        InspectionItem(
            agency=agency,
            field_name="食品经营环节监督抽查",
            name="6.食品经营者落实食品安全主体责任情况的检查",
            target="食品经营者（含餐饮服务提供者）",
            ratio="5%",
            method="现场检查",
            content="许可证件、从业人员健康管理、进货查验记录、食品贮存条件、餐饮具清洗消毒",
            basis_text="《中华人民共和国食品安全法》第一百一十条",
            level="市级发起，市级检查",
        )
    )
    today = ctx.today
    task = services.create_task(
        head,
        InspectionTask(
            agency=agency,
            name=f"{today.year}年食品经营者“双随机、一公开”抽查",
            field=field,
            region=agency.region,
            target_category=FOOD,
            period_start=today,
            period_end=today + timedelta(days=60),
            sample_count=4,
            officers_per_target=2,
            note="按随机抽查事项清单，对食品经营者开展日常监督抽查。",
        ),
        [item],
    )
    if services.preview_draw(task, today).error:  # e.g. too few eligible officers: leave it undrawn
        return
    # A seed from the demo's own generator, so that every machine gets the same demo draw.
    services.draw_task(head, task, seed=f"{rng.getrandbits(128):032x}")
    cases = services.confirm_task(head, task)

    case = cases[0]
    started = datetime.combine(today, time(9, 30))

    def act(code, user, **data):
        case.refresh_from_db()
        engine.perform(
            case.pk, code, user, data, expected_version=case.version, request_key=f"demo-insp-{next(_keys)}"
        )

    party = case.parties.first()
    act(
        "inspect",
        officer_user,
        started_at=started.strftime("%Y-%m-%dT%H:%M"),
        ended_at=(started + timedelta(minutes=50)).strftime("%Y-%m-%dT%H:%M"),
        place=party.address,
        present=f"{party.legal_representative}（经营者）",
        recusal="不申请回避",
        content="检查了食品经营许可证、从业人员健康证明、进货查验记录和食品贮存条件。"
        "发现冷藏柜内2批次预包装食品未按规定分区存放，进货查验记录不完整。",
        recorder="陈执法",
        certificates_shown="on",
    )
    act(
        "record_result",
        officer_user,
        result="ordered_correction",
        result_on=today.isoformat(),
        findings="进货查验记录不完整、食品未分区存放；责令15日内改正，届满后复查。",
        correction_days="15",
    )
