"""The demo 裁量基准 (S8) are valid against the demo items' legal ranges and published."""

import random

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.core.demo import DemoContext
from zhifa.organizations import demo as organizations_demo
from zhifa.powers import demo, rules, services
from zhifa.powers.models import BenchmarkStatus, DiscretionBenchmark

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_data():
    ctx = DemoContext(rng=random.Random(2026), today=timezone.localdate())
    organizations_demo.load(ctx)
    demo.load(ctx)
    return ctx


def test_s8_demo_benchmarks_are_published_and_inside_the_law(demo_data, client):
    benchmarks = list(DiscretionBenchmark.objects.select_related("power_item", "agency"))
    assert len(benchmarks) == len(demo.BENCHMARKS)
    for benchmark in benchmarks:
        assert benchmark.status == BenchmarkStatus.PUBLISHED
        assert rules.benchmark_errors(benchmark.legal_range(), benchmark.specs()) == []
        assert services.discretion_for(benchmark.power_item, demo_data.today) == benchmark
        body = client.get(reverse("portal:agency_discretion", args=[benchmark.agency_id])).content.decode()
        assert benchmark.power_item.name in body


def test_s8_demo_price_benchmark_computes_multiples(demo_data):
    benchmark = DiscretionBenchmark.objects.get(power_item__name="对不执行政府指导价、政府定价的处罚")
    result = services.suggest_penalty(
        benchmark.power_item, ["emergency"], {"违法所得": 20000}, demo_data.today
    )
    assert result.tier == "heavier" and (result.yuan_min, result.yuan_max) == (60000, 100000)
