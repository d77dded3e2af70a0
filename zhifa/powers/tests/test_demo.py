"""The demo 权责清单 cites real articles, and its legal ranges are the statutes' own numbers."""

import random
import re

import pytest
from django.utils import timezone

from zhifa.core.demo import DemoContext
from zhifa.organizations import demo as organizations_demo
from zhifa.powers import demo, lawtext, rules
from zhifa.powers.models import InspectionItem, Law, PowerItem

pytestmark = pytest.mark.django_db

# Words of the statute that must appear in the cited text for each chosen kind (处罚法 Art. 9).
KIND_WORDS = {
    "warning": "警告",
    "fine": "罚款",
    "confiscate_income": "没收违法所得|没收.*违法所得",
    "confiscate_property": "没收",
    "suspend_license": "暂扣|暂停",
    "revoke_license": "吊销",
    "restrict_business": "限制生产",
    "suspend_business": "停产|停业",
    "close": "关闭",
    "restrict_practice": "不得从事|禁入",
}


@pytest.fixture
def demo_data():
    ctx = DemoContext(rng=random.Random(2026), today=timezone.localdate())
    organizations_demo.load(ctx)
    demo.load(ctx)
    return ctx


def test_demo_loads_laws_and_lists(demo_data):
    assert Law.objects.count() == 21
    assert 55 <= PowerItem.objects.count() <= 75
    assert InspectionItem.objects.count() >= 15
    agencies = set(PowerItem.objects.values_list("agency__name", flat=True))
    assert {
        "示范市市场监督管理局",
        "示范市生态环境局",
        "示范市应急管理局",
        "西城区综合行政执法局",
    } <= agencies
    codes = list(PowerItem.objects.exclude(code="").values_list("code", flat=True))
    assert any(len(c) == 31 and c.isdigit() for c in codes) and any(c.startswith("XK") for c in codes)


def test_every_demo_item_cites_a_real_article(demo_data):
    for item in PowerItem.objects.prefetch_related("basis_links"):
        assert item.basis_links.count() >= 1, item.name


PENALTY_ENTRIES = [e for _, entries, *_ in demo.POWER_LISTS for e in entries if e[0] == "penalty"]


def test_demo_penalty_ranges_and_kinds_come_from_the_cited_text(demo_data):
    problems = []
    for _, name, citation, kinds, *extra in PENALTY_ENTRIES:
        range_source = extra[0].get("range_from", citation) if extra else citation
        expected = lawtext.fine_ranges(demo.cited_text(range_source))
        item = PowerItem.objects.filter(name=name.partition("|")[0]).first()
        if (item.fine_min, item.fine_max) != (expected.amount_min, expected.amount_max):
            problems.append(f"{citation}：罚款幅度与条文不符")
        if expected.multiples:
            base, (low, high) = next(iter(expected.multiples.items()))
            if dict(rules.MULTIPLE_BASES)[item.multiple_base] not in (base, "其他"):
                problems.append(f"{citation}：倍数基数应为{base}")
            if (item.multiple_min, item.multiple_max) != (low, high):
                problems.append(f"{citation}：倍数幅度与条文不符")
        cited = demo.cited_text(citation) + demo.cited_text(range_source)
        problems += [
            f"{citation}未规定“{rules.PENALTY_KIND_LABELS[kind]}”"
            for kind in kinds
            if not re.search(KIND_WORDS[kind], cited)
        ]
    assert len(PENALTY_ENTRIES) > 40
    assert problems == []


def test_known_ranges_of_the_issue(demo_data):
    safety_106 = PowerItem.objects.get(name__startswith="对生产经营单位与从业人员订立协议")
    assert safety_106.legal_range == "罚款；罚款2万元以上10万元以下"
    food_122 = PowerItem.objects.filter(name__startswith="对未取得食品生产经营许可").first()
    assert "罚款5万元以上10万元以下；货值金额10倍以上20倍以下罚款" in food_122.legal_range
