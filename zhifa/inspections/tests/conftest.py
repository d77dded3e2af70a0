"""Fixtures for 双随机抽查: a 名录 of 示范市 shops, qualified officers and a task."""

from datetime import timedelta

import pytest
from django.utils import timezone

from zhifa.cases.tests.conftest import make_case, officers  # noqa: F401 - shared case fixtures
from zhifa.core.rules import credit_code_check_char
from zhifa.personnel.tests.factories import qualified_officer
from zhifa.powers.models import InspectionItem

TODAY = timezone.localdate()


def credit_code(serial: int, prefix: str = "91") -> str:
    body = f"{prefix}379900MA{serial:07d}"
    return body + credit_code_check_char(body)


@pytest.fixture
def item(world):
    return InspectionItem.objects.create(
        agency=world.orgs["market"],
        field_name="食品经营环节监督抽查",
        name="食品经营者落实食品安全主体责任情况的检查",
        target="食品经营者",
        method="现场检查",
        ratio="30%",
    )


@pytest.fixture
def make_targets(world):
    from zhifa.inspections.models import InspectionTarget

    def make(n=10, agency=None, region=None, start=1, **extra):
        agency = agency or world.orgs["market"]
        return [
            InspectionTarget.objects.create(
                **{
                    "agency": agency,
                    "name": f"示范市第{i}号食品店有限公司",
                    "kind": "legal_person",
                    "credit_code": credit_code(i),
                    "legal_representative": "王某",
                    "category": "食品经营者",
                    "field": world.fields["market"],
                    "region": region or world.regions["city"],
                    "address": f"示范市人民路{i}号",
                    **extra,
                }
            )
            for i in range(start, start + n)
        ]

    return make


@pytest.fixture
def pool(world):
    """Four officers of 示范市市场监管局 who may enforce 市场监管 in 示范市 today."""
    return [qualified_officer(world, name=name)[0] for name in ("张明", "李强", "王芳", "赵磊")]


@pytest.fixture
def make_task(world, item):
    from zhifa.inspections import services
    from zhifa.inspections.models import InspectionTask

    def make(user=None, **fields):
        values = {
            "agency": world.orgs["market"],
            "name": "食品经营者双随机抽查",
            "field": world.fields["market"],
            "region": world.regions["city"],
            "period_start": TODAY,
            "period_end": TODAY + timedelta(days=30),
            "sample_count": 3,
            "officers_per_target": 2,
            **fields,
        }
        return services.create_task(user or world.users["market_head"], InspectionTask(**values), [item])

    return make
