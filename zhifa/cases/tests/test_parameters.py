"""Values left to fields and regions: the most specific setting wins, else the national default (P8, T4)."""

from decimal import Decimal

import pytest
from django.db import IntegrityError

from zhifa.cases.models import ProcedureSetting
from zhifa.cases.parameters import setting_value

pytestmark = pytest.mark.django_db


def test_national_default_then_region_then_field_then_both_p8(world):
    field, region = world.fields["market"], world.regions["city"]
    key = "hearing_fine_natural"
    assert setting_value(key, field.pk, region.pk) == Decimal("10000")
    ProcedureSetting.objects.create(key=key, value=5000, region=region)
    assert setting_value(key, field.pk, region.pk) == Decimal("5000")
    ProcedureSetting.objects.create(key=key, value=20000, field=field)
    assert setting_value(key, field.pk, region.pk) == Decimal("20000")
    ProcedureSetting.objects.create(key=key, value=30000, field=field, region=region)
    assert setting_value(key, field.pk, region.pk) == Decimal("30000")
    assert setting_value(key, world.fields["env"].pk, world.regions["east"].pk) == Decimal("10000")


def test_one_value_per_key_and_scope(world):
    ProcedureSetting.objects.create(key="statement_workdays", value=5)
    with pytest.raises(IntegrityError):
        ProcedureSetting.objects.create(key="statement_workdays", value=7)


def test_unknown_key_is_an_error(world):
    with pytest.raises(KeyError):
        setting_value("no_such_setting", None, None)
