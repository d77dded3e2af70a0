from datetime import timedelta

import pytest

from zhifa.cases.tests import data as test_data
from zhifa.cases.tests.conftest import make_case, officers  # noqa: F401 - shared fixtures
from zhifa.personnel.tests.factories import qualified_officer
from zhifa.review.tests.helpers import TODAY, act, penalty


@pytest.fixture
def reviewer(world):
    """A 法制审核人员 of 示范市市场监管局 holding the 法律职业资格 (L5)."""
    from datetime import date

    from zhifa.accounts.models import User
    from zhifa.accounts.roles import Role
    from zhifa.accounts.services import assign_roles
    from zhifa.core.testing import DEFAULT_PASSWORD
    from zhifa.personnel.tests.factories import make_officer

    user = User.objects.create_user(
        "market_reviewer", password=DEFAULT_PASSWORD, organization=world.orgs["market"], full_name="郑红"
    )
    assign_roles(user, [Role.REVIEWER])
    officer = make_officer(world.orgs["market"], name="郑红")
    officer.user = user
    officer.legal_qualification_number = "A20151100000001"
    officer.legal_qualification_date = date(2015, 12, 20)
    officer.save()
    world.users["market_reviewer"] = user
    return user


@pytest.fixture
def filed_case(world, make_case, officers):  # noqa: F811 - the imported fixtures
    case = make_case(procedure="penalty_general", violation_date=TODAY - timedelta(days=60))
    act(case, "register_lead", world.users["market_officer"])
    act(
        case,
        "file_case",
        world.users["market_head"],
        officers=",".join(str(o.pk) for o in officers),
        approval_note="同意立案",
    )
    case.refresh_from_db()
    return case


@pytest.fixture
def heard_case(world, filed_case):
    """A case after its hearing: 处罚法第五十八条第一款第（二）项 makes review mandatory."""
    user, head = world.users["market_officer"], world.users["market_head"]
    act(filed_case, "finish_investigation", user, **penalty(150000))
    served = TODAY - timedelta(days=14)  # the 陈述申辩 period has passed
    act(filed_case, "notify", user, served_on=served.isoformat(), method="direct")
    act(filed_case, "request_hearing", user, requested_on=(served + timedelta(days=1)).isoformat())
    presiding = qualified_officer(world, name="周主持")[0]
    act(
        filed_case,
        "schedule_hearing",
        head,
        notified_on=(TODAY - timedelta(days=10)).isoformat(),
        hearing_on=(TODAY + timedelta(days=10)).isoformat(),
        place="听证室",
        presiding_officer=presiding.pk,
    )
    act(filed_case, "hold_hearing", head, **test_data.hearing_record())
    filed_case.refresh_from_db()
    return filed_case
