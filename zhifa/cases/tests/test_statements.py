"""The engine's precomposed statements (cases.statements, engine._LockedCasePlan) write and read
exactly what the ORM would (issue 3 performance: ``perform`` ≥ 200 actions/s)."""

import uuid

import pytest
from django.db import DatabaseError, transaction
from django.db.models.signals import post_save
from django.utils import timezone

from zhifa.cases import engine, statements
from zhifa.cases.models import Case, CaseEvent, Deadline

pytestmark = pytest.mark.django_db


def event_for(case, user, sequence=1, **extra):
    return CaseEvent(
        case=case,
        sequence=sequence,
        action="register_lead",
        action_name="登记线索",
        stage_before="lead",
        stage_after="lead",
        actor=user,
        data={"note": "测试", "amount": "200.00", **extra},
        request_key=uuid.uuid4().hex,
        case_version=2,
    )


def row(model, pk):
    return model.objects.filter(pk=pk).values().get()


def test_an_inserted_event_is_the_row_save_would_write(world, make_case):
    case, user = make_case(), world.users["market_officer"]
    fast, orm = event_for(case, user), event_for(case, user, sequence=2)
    statements.insert(fast)
    orm.save()
    assert fast.pk and not fast._state.adding and fast.occurred_at is not None
    mine, theirs = row(CaseEvent, fast.pk), row(CaseEvent, orm.pk)
    for key in ("id", "sequence", "request_key", "occurred_at"):
        mine.pop(key), theirs.pop(key)
    assert mine == theirs
    assert CaseEvent.objects.get(pk=fast.pk).data == {"note": "测试", "amount": "200.00"}


def test_several_deadlines_are_inserted_in_one_statement_with_their_ids_in_order(
    world, make_case, django_assert_num_queries
):
    case = make_case()
    today = timezone.localdate()
    deadlines = [
        Deadline(
            case=case,
            code=f"d{i}",
            name=f"期限{i}",
            rule="D1",
            basis="测试",
            unit="work",
            days=i,
            starts_on=today,
            due_on=today,
        )
        for i in range(1, 4)
    ]
    with django_assert_num_queries(1):
        statements.insert_many(deadlines)
    assert [Deadline.objects.get(pk=d.pk).code for d in deadlines] == ["d1", "d2", "d3"]


def test_an_update_writes_only_the_named_fields_and_refreshes_updated_at(make_case):
    case = make_case()
    before = row(Case, case.pk)
    case.version, case.cause = 7, "改了但不保存"
    statements.update(case, ["version", "updated_at"])
    after = row(Case, case.pk)
    assert after["version"] == 7 and after["cause"] == before["cause"]
    assert after["updated_at"] > before["updated_at"]


def test_an_update_of_a_missing_row_fails_as_save_does(make_case):
    case = make_case()
    case.pk = 10**9
    with pytest.raises(DatabaseError), transaction.atomic():
        statements.update(case, ["version"])


def test_with_a_save_receiver_the_model_is_saved_by_the_orm(world, make_case):
    seen = []

    def receiver(sender, instance, created, **kwargs):
        seen.append((sender, created))

    post_save.connect(receiver, sender=CaseEvent)
    try:
        statements.insert(event_for(make_case(), world.users["market_officer"]))
    finally:
        post_save.disconnect(receiver, sender=CaseEvent)
    assert seen == [(CaseEvent, True)]


def test_the_locked_case_is_the_orm_s_with_its_revision_tokens(world, make_case):
    from zhifa.cases.parameters import revision_token as settings_revision
    from zhifa.workdays.services import revision_token as calendar_revision

    case, user = make_case(), world.users["market_officer"]
    expected = Case.objects.annotate(
        calendar_token=calendar_revision(), settings_token=settings_revision()
    ).get(pk=case.pk)
    with transaction.atomic():
        locked = engine._locked_case(case.pk, user)
    fields = [f.attname for f in Case._meta.concrete_fields]
    assert [getattr(locked, f) for f in fields] == [getattr(expected, f) for f in fields]
    assert (locked.calendar_token, locked.settings_token) == (
        expected.calendar_token,
        expected.settings_token,
    )
    assert type(locked.settings_token) is type(expected.settings_token)
    assert locked.procedure.pk == case.procedure_id and not locked._state.adding


def test_a_case_outside_the_user_s_scope_is_not_found(world, make_case):
    case = make_case()
    for outsider in ("east_officer", "east_head"):
        with pytest.raises(Case.DoesNotExist), transaction.atomic():
            engine._locked_case(case.pk, world.users[outsider])
    with transaction.atomic():
        assert engine._locked_case(case.pk, world.users["admin"]).pk == case.pk
