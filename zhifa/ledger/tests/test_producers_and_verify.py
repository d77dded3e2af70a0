"""Producers (case events, 文书) and ``manage.py verify_ledger`` naming exactly what changed."""

import uuid
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import models

from zhifa.cases import engine
from zhifa.cases.models import CaseEvent
from zhifa.ledger import rules, services
from zhifa.ledger.models import LedgerCheckpoint, LedgerLeaf, LedgerNode
from zhifa.ledger.verify import verify_ledger
from zhifa.records import services as records
from zhifa.records.kinds import KINDS
from zhifa.records.models import Document

pytestmark = pytest.mark.django_db


def act(case, code, user, **data):
    case.refresh_from_db()
    event, _ = engine.perform(
        case.pk, code, user, data, expected_version=case.version, request_key=uuid.uuid4().hex
    )
    return event


def issue(world, **kwargs):
    return records.issue_document(
        world.orgs["market"],
        "penalty_decision",
        KINDS["penalty_decision"].sample(),
        world.users["market_officer"],
        case_id=42,
        case_label="示市监立〔2026〕15号",
        on=date(2026, 11, 30),
        **kwargs,
    )


def problems():
    return [str(p) for p in verify_ledger()]


@pytest.fixture
def event(world, make_case):
    case = make_case(procedure="penalty_general")
    return act(case, "register_lead", world.users["market_officer"])


def test_each_case_event_is_appended_with_its_payload_in_the_same_transaction(event):
    leaf = LedgerLeaf.objects.get(kind="case_event", object_id=str(event.pk))
    assert leaf.source == "cases.caseevent"
    assert leaf.organization_id == event.case.agency_id
    payload = rules.canonical_json(
        services.json_native(
            {
                "case": event.case_id,
                "sequence": 1,
                "action": "register_lead",
                "stage_before": event.stage_before,
                "stage_after": event.stage_after,
                "actor": event.actor_id,
                "occurred_at": event.occurred_at.isoformat(),
                "case_version": event.case_version,
                "data": event.data,
            }
        )
    )
    assert leaf.data.encode() == payload
    assert leaf.index is None  # 待排序 until the sequencer runs


def test_a_refused_action_appends_nothing(world, make_case):
    case = make_case(procedure="penalty_general")
    before = LedgerLeaf.objects.count()
    with pytest.raises(engine.ActionRefused):
        act(case, "register_lead", world.users["city_supervisor"])  # 监督人员 do not handle cases
    assert LedgerLeaf.objects.count() == before


def test_an_issued_document_and_its_pdf_are_appended_with_their_file_hashes(world, fake_pdf):
    document = issue(world)
    leaves = {leaf.kind: leaf for leaf in LedgerLeaf.objects.filter(object_id=str(document.pk))}
    assert set(leaves) == {"document", "document_pdf"}
    import json

    data = json.loads(leaves["document"].data)
    assert data["number"] == document.number == "示市监罚决〔2026〕1号"
    assert data["files"] == [
        {"name": "docx", "storage_path": document.docx.name, "sha256": document.docx_sha256}
    ]
    assert json.loads(leaves["document_pdf"].data)["files"][0]["sha256"] == document.pdf_sha256


def test_a_pdf_rendered_later_gets_its_own_leaf(world, fake_pdf, django_capture_on_commit_callbacks):
    document = issue(world, pdf_later=True)
    assert list(LedgerLeaf.objects.filter(object_id=str(document.pk)).values_list("kind", flat=True)) == [
        "document"
    ]
    records.render_pending_pdf(document.pk)
    records.render_pending_pdf(document.pk)  # a second run changes nothing
    kinds = list(LedgerLeaf.objects.filter(object_id=str(document.pk)).values_list("kind", flat=True))
    assert kinds == ["document", "document_pdf"]


def test_document_page_shows_the_ledger_position(world, client_for, fake_pdf):
    document = issue(world)
    page = client_for(world.users["market_officer"]).get(document.get_absolute_url())
    assert "待排序" in page.content.decode()
    services.sequence()
    page = client_for(world.users["market_officer"]).get(document.get_absolute_url())
    assert "存证序号 #0" in page.content.decode()


# --- verify_ledger ----------------------------------------------------------------------------
@pytest.fixture
def logged(world, event, fake_pdf):
    """A log with case events and a document, sequenced and checkpointed."""
    document = issue(world)
    services.checkpoint()
    return {"event": event, "document": document}


def test_an_untouched_log_verifies(logged, capsys):
    assert problems() == []
    call_command("verify_ledger")
    assert "存证日志校验通过" in capsys.readouterr().out


def test_a_case_numbered_after_its_first_events_still_verifies(world, logged, officers):
    """立案 numbers the case after the lead was registered; earlier leaves must not depend on the 案号."""
    case = logged["event"].case
    act(case, "file_case", world.users["market_head"], officers=",".join(str(o.pk) for o in officers))
    case.refresh_from_db()
    assert case.number
    services.checkpoint()
    assert problems() == []


def test_a_changed_case_event_row_is_named_with_its_field(logged):
    event = logged["event"]
    models.QuerySet.update(CaseEvent.objects.filter(pk=event.pk), data={"note": "事后改写"})
    [problem] = problems()
    assert f"来源 cases.caseevent id={event.pk}" in problem and "变化的字段：data" in problem


def test_a_changed_document_row_is_named(logged):
    document = logged["document"]
    models.QuerySet.update(Document.objects.filter(pk=document.pk), number="示市监罚决〔2026〕99号")
    found = problems()
    assert len(found) == 2  # both the document's leaf and its PDF's leaf recorded the 文号
    for problem, kind in zip(found, ["document", "document_pdf"], strict=True):
        assert (
            f"{kind}，来源 records.document id={document.pk}" in problem and "变化的字段：number" in problem
        )


def test_a_changed_leaf_row_is_named_and_the_checkpoint_no_longer_matches(logged):
    leaf = LedgerLeaf.objects.get(index=0)
    models.QuerySet.update(
        LedgerLeaf.objects.filter(pk=leaf.pk), data=leaf.data.replace("register_lead", "x")
    )
    found = problems()
    assert any(p.startswith(f"存证叶子#0（id={leaf.pk}") and "与其叶子哈希不符" in p for p in found)
    assert any(p.startswith("检查点") and "根哈希" in p for p in found)
    with pytest.raises(CommandError) as raised:
        call_command("verify_ledger")
    assert raised.value.returncode == 1


def test_a_changed_tree_node_is_named_alone(logged):
    node = LedgerNode.objects.get(level=1, index=0)
    LedgerNode.objects.filter(pk=node.pk).update(hash="00" * 32)
    assert problems() == ["存证树节点（层1，序号0）：哈希与重新计算的结果不符（节点被改动）。"]


def test_a_changed_file_on_disk_is_named(logged):
    document = logged["document"]
    path = document.docx.path
    with open(path, "ab") as handle:
        handle.write(b"tampered")
    [problem] = problems()
    assert problem.startswith(f"文件 {document.docx.name}") and "文件内容已改变" in problem


def test_a_deleted_file_is_named(logged):
    import os

    os.remove(logged["document"].pdf.path)
    [problem] = problems()
    assert logged["document"].pdf.name in problem and "文件不存在" in problem


def test_a_changed_checkpoint_signature_or_root_is_named(logged):
    checkpoint = LedgerCheckpoint.objects.get()
    text, _ = rules.split_signed_note(checkpoint.note)
    forged = rules.signed_note(text, "zhifa.test/ledger", bytes.fromhex(checkpoint.key_id), b"\0" * 64)
    LedgerCheckpoint.objects.filter(pk=checkpoint.pk).update(note=forged)
    assert problems() == [
        f"检查点 {checkpoint.size}（id={checkpoint.pk}）：签名（密钥 zhifa.test/ledger {checkpoint.key_id}）验证失败。"
    ]
    LedgerCheckpoint.objects.filter(pk=checkpoint.pk).update(note=checkpoint.note, root_hash="11" * 32)
    assert problems() == [f"检查点 {checkpoint.size}（id={checkpoint.pk}）：根哈希与按叶子重新计算的不符。"]


def test_the_fast_check_without_sources_and_files_names_the_same_rows(logged):
    """verify_ledger reads fewer columns when the source and file checks are skipped; a changed
    leaf, a leaf with another hash algorithm and a changed node are still named exactly."""

    def fast():
        return [str(p) for p in verify_ledger(check_sources=False, check_files=False)]

    assert fast() == []
    first, second = LedgerLeaf.objects.get(index=0), LedgerLeaf.objects.get(index=1)
    models.QuerySet.update(LedgerLeaf.objects.filter(pk=second.pk), data=second.data.replace("1", "2", 1))
    models.QuerySet.update(LedgerLeaf.objects.filter(pk=first.pk), algorithm="sm3")
    found = fast()
    assert any(p.startswith(f"存证叶子#1（id={second.pk}") and "与其叶子哈希不符" in p for p in found)
    assert any(p.startswith(f"存证叶子#0（id={first.pk}") and "使用sm3" in p for p in found)
    assert not any(p.startswith("存证树节点") for p in found)  # nodes above changed leaves: not again
    models.QuerySet.update(LedgerLeaf.objects.filter(pk=second.pk), data=second.data)
    models.QuerySet.update(LedgerLeaf.objects.filter(pk=first.pk), algorithm="sha256")
    LedgerNode.objects.filter(level=0, index=1).update(hash="00" * 32)
    assert fast() == ["存证树节点（层0，序号1）：哈希与重新计算的结果不符（节点被改动）。"]
