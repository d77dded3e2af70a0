"""The 裁量基准 in the penalty proposal (S8): the calculator on the action page, a proposal outside
its tier needing a reason that reaches the reviewer, and the 决定书 stating how it was applied."""

import uuid
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from zhifa.cases import engine
from zhifa.powers import services as powers
from zhifa.powers.tests.test_discretion import draft, penalty_item

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
PROPOSAL = {
    "facts": "当事人擅自设立弃置场受纳建筑垃圾，堆放量六十立方米。",
    "evidence": "现场检查笔录、测量记录",
    "violated": "《城市建筑垃圾管理规定》第十三条",
    "basis": "《城市建筑垃圾管理规定》第二十条第（三）项",
    "penalty_kinds": ["warning", "fine"],
    "discretion_facts": "堆放量=60",
}


def act(case, code, user, **data):
    case.refresh_from_db()
    return engine.perform(
        case.pk, code, user, data, expected_version=case.version, request_key=uuid.uuid4().hex
    )[0]


@pytest.fixture
def item(world):
    item = penalty_item(world)
    powers.publish_benchmark(world.users["market_head"], draft(world, item))
    return item


@pytest.fixture
def investigating(world, make_case, officers, item):
    case = make_case(procedure="penalty_general", power_item=item, violation_date=TODAY - timedelta(days=20))
    act(case, "file_case", world.users["market_head"], officers=",".join(str(o.pk) for o in officers))
    return case


def test_proposal_in_its_tier_is_kept_with_the_decision_sentence_s8(world, investigating):
    act(investigating, "finish_investigation", world.users["market_officer"], **PROPOSAL, fine="8000")
    investigating.refresh_from_db()
    kept = investigating.details["proposal"]["discretion"]
    assert kept["within"] is True and kept["tier_label"] == "一般"
    assert "示城管规〔2025〕1号" in kept["explanation"] and "8000" in kept["explanation"]


def test_proposal_outside_its_tier_needs_a_reason_s8(world, investigating):
    with pytest.raises(ValidationError) as excinfo:
        act(investigating, "finish_investigation", world.users["market_officer"], **PROPOSAL, fine="10000")
    message = str(excinfo.value.message_dict["discretion_reason"])
    assert "S8" in message and "第三十四条" in message
    investigating.refresh_from_db()
    assert "proposal" not in investigating.details  # nothing changed
    act(
        investigating,
        "finish_investigation",
        world.users["market_officer"],
        **PROPOSAL,
        fine="10000",
        discretion_reason="当事人拒不改正，且周边群众多次投诉。",
    )
    investigating.refresh_from_db()
    kept = investigating.details["proposal"]["discretion"]
    assert kept["within"] is False and "拒不改正" in kept["explanation"]


def test_action_page_calculator_suggests_without_saving_s8(world, investigating, client_for):
    client = client_for(world.users["market_officer"])
    url = f"/staff/cases/{investigating.pk}/actions/finish_investigation/"
    page = client.get(url).content.decode()
    assert "裁量基准（S8）" in page and "试算裁量" in page
    investigating.refresh_from_db()
    version = investigating.version
    data = {
        **PROPOSAL,
        "fine": "10000",
        "calculate": "1",
        "expected_version": version,
        "request_key": uuid.uuid4().hex,
    }
    result = client.post(url, data).content.decode()
    assert "建议：一般" in result and "不在建议档次内" in result
    investigating.refresh_from_db()
    assert investigating.version == version
