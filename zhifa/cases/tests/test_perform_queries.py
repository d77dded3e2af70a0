"""Round trips of ``engine.perform`` (issue 3 performance: ≥ 200 actions/s in one process).

Pinned so that a regression shows as a failing test rather than as a slower bench: the locked case
row carries the event counter and the revision tokens of the calendar and the settings, so
registering a lead is one read, one update and the inserts it needs.
"""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from zhifa.cases import engine
from zhifa.cases.models import CaseEvent, Deadline, ProcedureSetting
from zhifa.cases.parameters import settings_for

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def perform(case, code, user, **data):
    return engine.perform(
        case.pk, code, user, data, expected_version=case.version, request_key=uuid.uuid4().hex
    )


def act(case, code, user, **data):
    case.refresh_from_db()
    return perform(case, code, user, **data)


@pytest.fixture
def lead(make_case):
    return make_case(procedure="penalty_general")


@pytest.fixture
def warm(world, make_case):
    """A first action loads this process's caches (calendar, procedure, settings); the pins below
    are for the steady state after it."""
    act(make_case(procedure="penalty_general"), "register_lead", world.users["market_officer"])


def test_register_lead_takes_six_statements(world, lead, warm, django_assert_max_num_queries):
    # SELECT … FOR UPDATE, UPDATE case, INSERT event, INSERT ledger leaf (principle 3), INSERT
    # deadline (+ savepoint and release inside the test's transaction; BEGIN/COMMIT are not counted)
    with django_assert_max_num_queries(7):
        event, created = perform(lead, "register_lead", world.users["market_officer"])
    assert created and event.sequence == 1
    assert Deadline.objects.get(case=lead, code="filing").opened_by_event == event


def test_a_richer_action_stays_within_its_pin(world, make_case, officers, django_assert_max_num_queries):
    """notify (P6/P8: the hearing thresholds are four settings) reads no setting from the database
    once cached, and opens its periods with one insert."""
    case = make_case(procedure="penalty_general", violation_date=TODAY - timedelta(days=60))
    user, head = world.users["market_officer"], world.users["market_head"]
    act(case, "register_lead", user)
    act(case, "file_case", head, officers=",".join(str(o.pk) for o in officers), approval_note="同意立案")
    act(
        case,
        "finish_investigation",
        user,
        facts="未明码标价",
        evidence="现场检查笔录",
        violated="《中华人民共和国价格法》第十三条第一款",
        basis="《中华人民共和国价格法》第四十二条",
        penalty_kinds=["fine"],
        fine="5000",
    )
    case.refresh_from_db()
    with CaptureQueriesContext(connection) as queries:
        perform(case, "notify", user, served_on=TODAY.isoformat(), method="direct")
    sql = [q["sql"] for q in queries.captured_queries]
    assert not any("cases_proceduresetting" in s for s in sql)
    assert not any(s.startswith('SELECT "workdays_calendarrevision"') for s in sql)
    assert not any(s.startswith('SELECT "cases_caseevent"') for s in sql)
    assert sum(s.startswith('INSERT INTO "cases_deadline"') for s in sql) == 1


def test_events_are_numbered_from_the_case_counter(world, lead):
    user = world.users["market_officer"]
    first, _ = act(lead, "register_lead", user)
    lead.refresh_from_db()
    assert lead.last_sequence == 1 and first.sequence == 1
    second, _ = act(lead, "decline_filing", world.users["market_head"], reason="不符合立案条件")
    lead.refresh_from_db()
    assert second.sequence == 2 and lead.last_sequence == 2 and lead.version == 3


def test_only_changed_columns_are_written(world, lead, warm):
    with CaptureQueriesContext(connection) as queries:
        perform(lead, "register_lead", world.users["market_officer"])
    update = next(q["sql"] for q in queries.captured_queries if q["sql"].startswith('UPDATE "cases_case"'))
    assert '"cause"' not in update and '"version"' in update and '"last_sequence"' in update


def test_a_repeated_request_returns_its_event_also_when_the_key_is_reused_at_the_new_version(world, lead):
    user = world.users["market_officer"]
    event, created = act(lead, "register_lead", user)
    lead.refresh_from_db()
    # the usual repeat: same key, the version the first attempt saw
    again, again_created = engine.perform(
        lead.pk, "register_lead", user, {}, expected_version=lead.version - 1, request_key=event.request_key
    )
    assert (again, again_created) == (event, False)
    # a client reusing the key with the current version gets the same answer, and nothing changes
    reused, reused_created = engine.perform(
        lead.pk, "register_lead", user, {}, expected_version=lead.version, request_key=event.request_key
    )
    assert (reused, reused_created) == (event, False)
    lead.refresh_from_db()
    assert lead.version == 2 and CaseEvent.objects.filter(case=lead).count() == 1


def test_a_saved_setting_reaches_cached_settings_at_once_t4(world, lead, warm):
    """T4: the 立案审查期限 is a setting; a worker that cached the old value sees the new one on
    its next action, because saving a setting changes the revision token."""
    field, region = world.fields["market"], world.regions["city"]
    assert settings_for(field.pk, region.pk).value("filing_workdays") == Decimal(15)
    ProcedureSetting.objects.create(key="filing_workdays", value=10, field=field)
    act(lead, "register_lead", world.users["market_officer"])
    assert Deadline.objects.get(case=lead, code="filing").days == 10
    ProcedureSetting.objects.filter(key="filing_workdays").get().delete()
    assert settings_for(field.pk, region.pk).value("filing_workdays") == Decimal(15)


@pytest.mark.django_db(transaction=True)
def test_a_retry_arriving_while_the_first_attempt_holds_the_lock_returns_its_event(world, make_case):
    """A phone retrying before its first request has finished: the retry waits for the case lock
    and then answers with the event the first attempt recorded (on PostgreSQL, row locks)."""
    import threading

    case = make_case(procedure="penalty_general")
    user = world.users["market_officer"]
    key, barrier, results = uuid.uuid4().hex, threading.Barrier(2), []

    def attempt():
        try:
            barrier.wait()
            results.append(
                engine.perform(case.pk, "register_lead", user, {}, expected_version=1, request_key=key)
            )
        finally:
            connection.close()

    workers = [threading.Thread(target=attempt) for _ in range(2)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert sorted(created for _, created in results) == [False, True]
    assert results[0][0].pk == results[1][0].pk
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_the_case_page_answers_p1_for_all_officers_in_a_constant_number_of_queries(
    world, make_case, officers
):
    """P1 on the case page: every action guarded by officers_qualified shares one answer per
    officer, and the answers for all officers cost the same few queries however many there are."""
    from zhifa.cases.models import Case, CaseOfficer
    from zhifa.personnel.tests.factories import qualified_officer

    case = make_case(procedure="penalty_general")
    act(case, "register_lead", world.users["market_officer"])
    act(
        case,
        "file_case",
        world.users["market_head"],
        officers=",".join(str(o.pk) for o in officers),
        approval_note="同意立案",
    )
    head = world.users["market_head"]

    def count():
        fresh = Case.objects.select_related("procedure", "agency", "field", "region").get(pk=case.pk)
        with CaptureQueriesContext(connection) as queries:
            actions = engine.available_actions(fresh, head)
        inspect = next(a for a in actions if a.action.code == "inspect")
        return len(queries.captured_queries), inspect

    two, inspect = count()
    assert inspect.allowed, inspect.refusals
    CaseOfficer.objects.create(case=case, officer=qualified_officer(world, name="王五")[0])
    three, _ = count()
    assert three == two


def test_answers_for_several_officers_are_those_of_may_enforce_p1_s2(world):
    """The bulk answer (personnel.may_enforce_many) agrees with may_enforce officer by officer,
    refusal reasons included: qualified, short of training (S2), without a certificate (P1)."""
    from zhifa.personnel.services import may_enforce, may_enforce_many
    from zhifa.personnel.tests.factories import make_officer, qualified_officer

    qualified = qualified_officer(world, name="张明")[0]
    untrained = qualified_officer(world, name="李强")[0]
    untrained.trainings.all().delete()
    uncertified = make_officer(world.orgs["market_team"], name="王五")
    field, region = world.fields["market"], world.regions["city"]
    officers = [qualified, untrained, uncertified]
    answers = may_enforce_many(officers, field, region, TODAY)
    assert answers == {o.pk: may_enforce(o, field, region, TODAY) for o in officers}
    assert answers[qualified.pk].allowed and not answers[untrained.pk].allowed
    assert not answers[uncertified.pk].allowed
