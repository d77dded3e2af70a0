"""The 公示 pipeline: drafts from decisions (G3), redaction (G4, G7, G8), approval, corrections and
withdrawal (G5), display periods (G9), and the ledger."""

import uuid
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from zhifa.cases import engine
from zhifa.cases.models import Deadline, DeadlineStatus
from zhifa.cases.tests.conftest import make_case, officers  # noqa: F401 - shared case fixtures
from zhifa.core.rules import id_number_check_char
from zhifa.ledger.models import LedgerLeaf
from zhifa.publicity import services
from zhifa.publicity.models import (
    ImmutableSnapshotError,
    PortalEntry,
    Publication,
    PublicationVersion,
    Status,
)

pytestmark = pytest.mark.django_db


def act(case, code, user, **data):
    case.refresh_from_db()
    event, _ = engine.perform(
        case.pk, code, user, data, expected_version=case.version, request_key=uuid.uuid4().hex
    )
    return event


def on_spot(case, user, fine="200", decided_on="2026-11-20", **extra):
    return act(
        case,
        "decide_on_spot",
        user,
        facts="当事人赵某（身份证号370102198001010015，电话13912345678）在示范市人民路1号销售商品未按规定明码标价，证人钱多多在场。",
        evidence="现场检查笔录、照片",
        violated="《中华人民共和国价格法》第十三条第一款",
        basis="《中华人民共和国价格法》第四十二条",
        penalty_kinds=["fine"],
        fine=fine,
        decided_on=decided_on,
        place="示范市人民路1号",
        facts_certain="on",
        payment_method="bank",
        **extra,
    )


def person(name="赵某某", birth="19800101"):
    body = f"370102{birth}001"
    return [
        {
            "kind": "natural_person",
            "name": name,
            "id_number": body + id_number_check_char(body),
            "address": "示范市幸福小区3栋2单元501室",
        }
    ]


@pytest.fixture
def decided(world, make_case):  # noqa: F811
    case = make_case(parties=person("赵大海"))
    event = on_spot(case, world.users["market_officer"])
    return case, event


def test_a_decision_creates_a_redacted_draft_due_in_7_working_days_g3(decided):
    case, event = decided
    publication = Publication.objects.get(event=event)
    assert publication.status == Status.DRAFT and publication.category == "penalty"
    # 2026-11-20 is a Friday: seven working days later is Tuesday 1 December
    assert publication.due_on == date(2026, 12, 1)
    deadline = Deadline.objects.get(pk=publication.deadline_id)
    assert deadline.rule == "G3" and deadline.status == DeadlineStatus.RUNNING
    version = publication.versions.get()
    fields = version.fields
    assert fields["party_name"] == "赵某某" and fields["party_kind"] == "自然人"
    assert "370102198001010015" not in fields["facts"] and "13912345678" not in fields["facts"]
    assert "赵大海" not in str(fields) and "钱多多" not in fields["facts"]
    assert "party_id_number" not in fields
    assert fields["fine_yuan"] == "200.00" and fields["document_number"]
    assert version.original["party_name"] == "赵大海"  # the original stays for staff only


def test_a_replayed_event_creates_no_second_publication_g3(decided):
    case, event = decided
    services.create_from_event(case, event)
    assert Publication.objects.filter(case=case).count() == 1


def test_a_minor_punished_is_never_published_g7(world, make_case):  # noqa: F811
    case = make_case(parties=person("孙小明", birth="20100101"))
    event = on_spot(case, world.users["market_officer"], fine="50")
    publication = Publication.objects.get(event=event)
    assert publication.status == Status.SUPPRESSED and "未成年人" in publication.suppressed_reason
    assert not publication.versions.exists() and publication.deadline_id is None


def test_only_the_agency_head_approves_g4(world, decided):
    case, event = decided
    version = Publication.objects.get(event=event).versions.get()
    with pytest.raises(PermissionDenied, match="谁执法谁公示"):
        services.approve(version, world.users["market_officer"])
    with pytest.raises(PermissionDenied):
        services.approve(
            version, world.users["east_head"] if "east_head" in world.users else world.users["east_officer"]
        )


def test_approval_publishes_a_frozen_snapshot_with_a_ledger_leaf(world, decided):
    case, event = decided
    publication = Publication.objects.get(event=event)
    version = services.approve(publication.versions.get(), world.users["market_head"])
    publication.refresh_from_db()
    assert publication.status == Status.PUBLISHED and publication.current_id == version.pk
    assert Deadline.objects.get(pk=publication.deadline_id).status == DeadlineStatus.MET
    entry = PortalEntry.objects.get(publication=publication)
    assert entry.fields == version.fields and "赵大海" not in entry.search_text
    assert LedgerLeaf.objects.filter(kind="publication", object_id=str(version.pk)).exists()
    assert services.approve(version, world.users["market_head"]).pk == version.pk  # double click
    version.fields = {}
    with pytest.raises(ImmutableSnapshotError):
        version.save()
    with pytest.raises(ImmutableSnapshotError):
        PublicationVersion.objects.filter(pk=version.pk).update(fields={})


def test_restoring_a_redaction_needs_an_override_reason_g4(world, decided):
    case, event = decided
    version = Publication.objects.get(event=event).versions.get()
    version = services.update_draft(
        version, world.users["market_head"], manual=[], restored=["钱多多", "13912345678"]
    )
    assert version.detector_hits >= 1 and "钱多多" in version.fields["facts"]
    assert "13912345678" not in version.fields["facts"]  # a mobile number can never be kept (G8)
    with pytest.raises(ValidationError, match="疑似个人信息.*行政处罚法》第五十条"):
        services.approve(version, world.users["market_head"])
    approved = services.approve(
        version, world.users["market_head"], override_reason="钱多多系本机关公开的联络员"
    )
    assert approved.override_reason


def test_manual_redaction_hides_more_text_g4(world, decided):
    case, event = decided
    version = Publication.objects.get(event=event).versions.get()
    version = services.update_draft(version, world.users["market_head"], manual=["人民路1号"], restored=[])
    assert "人民路1号" not in version.fields["facts"] and "[已隐去]" in version.fields["facts"]


def test_a_correction_is_a_new_version_with_its_reason_g5(world, decided):
    case, event = decided
    head = world.users["market_head"]
    publication = Publication.objects.get(event=event)
    first = services.approve(publication.versions.get(), head)
    with pytest.raises(ValidationError, match="更正理由"):
        services.prepare_correction(publication, head, reason=" ")
    second = services.prepare_correction(publication, head, reason="更正处罚依据的条款序号")
    assert second.number == 2 and PortalEntry.objects.get(publication=publication).version_id == first.pk
    services.approve(second, head)
    entry = PortalEntry.objects.get(publication=publication)
    assert entry.version_id == second.pk and entry.version_number == 2


def test_a_revoked_decision_is_withdrawn_within_3_working_days_g5(world, decided):
    case, event = decided
    head = world.users["market_head"]
    publication = Publication.objects.get(event=event)
    services.approve(publication.versions.get(), head)
    act(
        case,
        "record_decision_change",
        head,
        kind="revoked",
        decided_by="reconsideration",
        document_number="示府复决〔2026〕8号",
        known_on="2026-11-20",  # a Friday: three working days end on Wednesday 25 November
        reason="复议机关认为事实不清",
        public_reason="该决定已被行政复议机关撤销。",
    )
    publication.refresh_from_db()
    assert publication.withdraw_due_on == date(2026, 11, 25)
    deadline = Deadline.objects.get(pk=publication.withdraw_deadline_id)
    assert deadline.rule == "G5" and deadline.days == 3
    services.withdraw(publication, head)
    publication.refresh_from_db()
    assert publication.status == Status.WITHDRAWN
    assert Deadline.objects.get(pk=publication.withdraw_deadline_id).status == DeadlineStatus.MET
    entry = PortalEntry.objects.get(publication=publication)
    assert entry.withdrawn and entry.fields["withdrawal_reason"] == "该决定已被行政复议机关撤销。"
    assert "facts" not in entry.fields
    assert LedgerLeaf.objects.filter(kind="publication_withdrawal", object_id=str(publication.pk)).exists()


def test_a_decision_change_cannot_be_dated_in_the_future_g5(world, decided):
    case, event = decided
    with pytest.raises(ValidationError, match="不能晚于今天"):
        act(
            case,
            "record_decision_change",
            world.users["market_head"],
            kind="revoked",
            decided_by="court",
            known_on="2999-01-01",
            reason="判决撤销",
            public_reason="决定已被撤销。",
        )


def test_a_draft_of_a_revoked_decision_is_dropped_g5(world, decided):
    case, event = decided
    act(
        case,
        "record_decision_change",
        world.users["market_head"],
        kind="void",
        decided_by="self",
        known_on="2026-11-20",
        reason="自行纠错",
        public_reason="决定被确认无效。",
    )
    publication = Publication.objects.get(event=event)
    assert publication.status == Status.WITHDRAWN and not PortalEntry.objects.exists()
    assert Deadline.objects.get(pk=publication.deadline_id).status == DeadlineStatus.CANCELLED


def test_items_leave_the_portal_after_the_display_period_g9(world, decided):
    case, event = decided
    publication = Publication.objects.get(event=event)
    services.approve(publication.versions.get(), world.users["market_head"])
    # an on-the-spot fine is 轻微: at most 3 months under the 2026 rule
    assert publication.display_until == date(2027, 2, 19)
    assert services.expire(today=date(2027, 2, 19)) == 0
    assert services.expire(today=date(2027, 2, 20)) == 1
    publication.refresh_from_db()
    assert publication.status == Status.EXPIRED and not PortalEntry.objects.exists()


def test_ledger_positions_reach_the_portal_entry(world, decided):
    from zhifa.ledger import services as ledger

    case, event = decided
    publication = Publication.objects.get(event=event)
    services.approve(publication.versions.get(), world.users["market_head"])
    ledger.sequence()
    assert services.fill_ledger_positions() == 1
    assert PortalEntry.objects.get(publication=publication).ledger_index is not None


def test_a_seizure_is_published_with_the_period_of_its_decision_c2(world, make_case):  # noqa: F811
    """The 公示 period of a 查封/扣押 ends where the case's C2 deadline does (行政强制法第二十五条:
    30 natural days, a last day on a rest day rolls to the next working day) — 2026-10-31 is a
    Saturday."""
    from zhifa.cases.tests import data as test_data

    case = make_case(procedure="coercive_seizure")
    test_data.record_video(case, world.users["market_officer"])
    act(case, "approve_measure", world.users["market_head"], reason="证据可能灭失")
    act(
        case,
        "execute_measure",
        world.users["market_officer"],
        measure="detain",
        executed_on="2026-10-01",
        acted_at="2026-10-01T10:00",
        place="示范市某仓库",
        items="涉嫌过期食品120箱",
        reason="《中华人民共和国食品安全法》第一百一十条第四项",
        party_present="on",
    )
    deadline = Deadline.objects.get(case=case, code="seizure")
    fields = Publication.objects.get(case=case).versions.get().fields
    assert fields["period"] == f"2026-10-01至{deadline.due_on.isoformat()}"
    assert deadline.due_on == date(2026, 11, 2)


def test_a_legal_representative_named_in_the_facts_needs_no_override_g10(world, make_case):  # noqa: F811
    """G10 publishes a legal person's 法定代表人: the name stays, and approving does not ask for an
    override reason as if personal information had been left in."""
    case = make_case(
        parties=[
            {
                "kind": "legal_person",
                "name": "示范市宏远商贸有限公司",
                "credit_code": "91350100M000100Y43",
                "legal_representative": "王建国",
                "address": "示范市人民路1号",
            }
        ]
    )
    event = act(
        case,
        "decide_on_spot",
        world.users["market_officer"],
        facts="当事人示范市宏远商贸有限公司（法定代表人王建国）在示范市人民路1号销售商品未按规定明码标价。",
        evidence="现场检查笔录、照片",
        violated="《中华人民共和国价格法》第十三条第一款",
        basis="《中华人民共和国价格法》第四十二条",
        penalty_kinds=["fine"],
        fine="2000",
        decided_on="2026-11-20",
        place="示范市人民路1号",
        facts_certain="on",
        payment_method="bank",
    )
    version = Publication.objects.get(event=event).versions.get()
    assert "王建国" in version.fields["facts"] and version.fields["legal_representative"] == "王建国"
    assert version.detector_hits == 0
    assert services.approve(version, world.users["market_head"]).pk == version.pk


def test_an_item_that_expires_before_its_withdrawal_closes_the_g5_deadline(world, decided):
    """G9 removes the item from the portal; the withdrawal it was waiting for (G5) is then moot and
    its deadline must not stay red."""
    case, event = decided
    head = world.users["market_head"]
    publication = Publication.objects.get(event=event)
    services.approve(publication.versions.get(), head)
    act(
        case,
        "record_decision_change",
        head,
        kind="revoked",
        decided_by="court",
        known_on="2026-11-20",
        reason="判决撤销",
        public_reason="该决定已被人民法院判决撤销。",
    )
    publication.refresh_from_db()
    assert services.expire(today=date(2027, 2, 20)) == 1
    assert Deadline.objects.get(pk=publication.withdraw_deadline_id).status == DeadlineStatus.CANCELLED


def test_a_public_reason_with_personal_data_is_refused_g4(world, decided):
    """Withdrawal and correction reasons are published as typed: the detectors check them too."""
    case, event = decided
    head = world.users["market_head"]
    publication = Publication.objects.get(event=event)
    services.approve(publication.versions.get(), head)
    with pytest.raises(ValidationError, match="疑似个人信息.*第五十条"):
        services.prepare_correction(publication, head, reason="当事人赵大海（电话13912345678）申请更正")
    with pytest.raises(ValidationError, match="撤回理由.*疑似个人信息"):
        services.withdraw(publication, head, kind="revoked", reason="赵大海申请复议，决定已被撤销。")
    withdrawn = services.withdraw(publication, head, kind="revoked", reason="该决定已被行政复议机关撤销。")
    assert withdrawn.status == Status.WITHDRAWN
