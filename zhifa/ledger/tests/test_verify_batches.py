"""verify_ledger over several batches (BATCH made small): the level-by-level check, checkpoints
at sizes inside a batch, and changed rows named exactly as in one batch (issue 4, R1 tamper
evidence). Runs outside a test transaction, so that on PostgreSQL the read-ahead connection on the
exported snapshot is used as in production."""

import pytest
from django.db import models

from zhifa.ledger import services, verify
from zhifa.ledger.models import LedgerCheckpoint, LedgerLeaf, LedgerNode, LedgerTree
from zhifa.ledger.verify import verify_ledger

pytestmark = pytest.mark.django_db(transaction=True)

LEAVES = 45  # batches of 8: five full ones and a partial one


@pytest.fixture
def log(world, append_many, monkeypatch):
    monkeypatch.setattr(verify, "BATCH", 8)
    for size in (3, 8, 13, 16, 30, LEAVES):  # checkpoints inside batches and on their edges
        append_many(size - LedgerLeaf.objects.count(), start=LedgerLeaf.objects.count())
        services.checkpoint()
    assert LedgerCheckpoint.objects.count() == 6
    return LedgerLeaf.objects.order_by("index")


def fast():
    return [str(p) for p in verify_ledger(check_sources=False, check_files=False)]


def full():
    return [str(p) for p in verify_ledger()]


def test_an_untouched_log_verifies_over_many_batches(log):
    assert fast() == []
    assert full() == []


def test_a_changed_leaf_in_a_later_batch_is_named_with_the_checkpoints_after_it(log):
    leaf = log.get(index=21)
    models.QuerySet.update(LedgerLeaf.objects.filter(pk=leaf.pk), data=leaf.data.replace("21", "99"))
    found = fast()
    assert any(p.startswith(f"存证叶子#21（id={leaf.pk}") and "与其叶子哈希不符" in p for p in found)
    roots = sorted(p for p in found if p.startswith("检查点") and "根哈希与按叶子" in p)
    assert roots == sorted(
        f"检查点 {c.size}（id={c.pk}）：根哈希与按叶子重新计算的不符。"
        for c in LedgerCheckpoint.objects.filter(size__gt=21)
    )
    assert not any(p.startswith("存证树节点") for p in found)  # nodes above the leaf: not again
    assert any("记录的根哈希与重新计算的不符" in p for p in found)


def test_a_changed_inner_node_in_a_later_batch_is_named_alone(log):
    LedgerNode.objects.filter(level=2, index=9).update(hash="ab" * 32)
    assert fast() == ["存证树节点（层2，序号9）：哈希与重新计算的结果不符（节点被改动）。"]
    LedgerNode.objects.filter(level=2, index=9).update(hash="not a hash")
    assert fast() == ["存证树节点（层2，序号9）：哈希与重新计算的结果不符（节点被改动）。"]


def test_a_node_above_two_batches_and_a_missing_node_are_named(log):
    LedgerNode.objects.filter(level=4, index=0).update(hash="cd" * 32)  # leaves 0-15: batches 1 and 2
    LedgerNode.objects.filter(level=0, index=44).delete()
    found = fast()
    assert "存证树节点（层4，序号0）：哈希与重新计算的结果不符（节点被改动）。" in found
    assert "存证树节点（层0，序号44）：缺失。" in found


def test_a_leaf_of_another_algorithm_in_a_later_batch_is_named(log):
    leaf = log.get(index=33)
    models.QuerySet.update(LedgerLeaf.objects.filter(pk=leaf.pk), algorithm="sm3")
    for found in (fast(), full()):
        assert any(p.startswith(f"存证叶子#33（id={leaf.pk}") and "使用sm3" in p for p in found)


def test_a_gap_in_the_indices_is_named(log):
    leaf = log.get(index=LEAVES - 1)
    models.QuerySet.update(LedgerLeaf.objects.filter(pk=leaf.pk), index=LEAVES + 5)
    found = fast()
    assert f"存证叶子 id={leaf.pk}：序号为{LEAVES + 5}，应为{LEAVES - 1}（序号不连续）。" in found


def test_a_tree_state_that_lies_about_its_size_is_named(log):
    LedgerTree.objects.update(size=LEAVES - 1)
    assert f"存证树状态：记录的叶子数为{LEAVES - 1}，实际已排序{LEAVES}个。" in fast()
