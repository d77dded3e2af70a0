"""The append-only Merkle log (RFC 6962 / RFC 9162): leaves, the perfect nodes of the tree, the tree
state and signed checkpoints. Leaves, nodes and checkpoints are never updated or deleted, except
that the sequencer gives each leaf its index once."""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from zhifa.core.scope import ScopedQuerySet


class ImmutableRowError(Exception):
    pass


class LedgerTree(models.Model):
    """The one row the sequencer locks: the size of the tree and its current root."""

    algorithm = models.CharField("哈希算法", max_length=10)
    size = models.BigIntegerField("叶子数", default=0)
    root_hash = models.CharField("根哈希", max_length=64, blank=True)
    updated_at = models.DateTimeField("更新时间", auto_now=True)

    class Meta:
        verbose_name = verbose_name_plural = "存证树"

    def __str__(self):
        return f"存证树（{self.algorithm}，{self.size}个叶子）"


class LedgerLeaf(models.Model):
    """One appended record: its canonical JSON, its leaf hash, and (once sequenced) its index."""

    scope_path = "organization__path"

    kind = models.CharField("类型", max_length=40)
    source = models.CharField("来源表", max_length=100, help_text="app_label.model")
    object_id = models.CharField("来源记录ID", max_length=64)
    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name="所属机构",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    data = models.TextField("规范JSON")
    algorithm = models.CharField("哈希算法", max_length=10)
    leaf_hash = models.CharField("叶子哈希", max_length=64)
    index = models.BigIntegerField("序号", null=True, blank=True, unique=True)
    created_at = models.DateTimeField("记录时间", default=timezone.now)
    sequenced_at = models.DateTimeField("排序时间", null=True, blank=True)

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "存证叶子"
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], condition=models.Q(index__isnull=True), name="ledger_leaf_unsequenced"
            ),
            models.Index(fields=["source", "object_id"], name="ledger_leaf_source"),
            # Plain B-trees for the exact lookups (API filter by kind, proof by leaf hash). Not
            # ``db_index=True``: on PostgreSQL that adds a second, pattern-ops index per column for
            # LIKE queries nobody makes, and every append pays for each index.
            models.Index(fields=["kind"], name="ledger_leaf_kind"),
            models.Index(fields=["leaf_hash"], name="ledger_leaf_hash"),
        ]

    def __str__(self):
        position = f"#{self.index}" if self.index is not None else "待排序"
        return f"{self.kind} {position}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ImmutableRowError("存证记录一经写入不得修改；更正应作为新的记录追加。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ImmutableRowError("存证记录不得删除。")


class LedgerNode(models.Model):
    """The hash of a perfect subtree: leaves [index·2^level, (index+1)·2^level)."""

    level = models.PositiveSmallIntegerField("层")
    index = models.BigIntegerField("序号")
    hash = models.CharField("哈希", max_length=64)

    class Meta:
        verbose_name = verbose_name_plural = "存证树节点"
        constraints = [models.UniqueConstraint(fields=["level", "index"], name="ledger_node_position")]

    def __str__(self):
        return f"({self.level}, {self.index})"


class LedgerCheckpoint(models.Model):
    """A signed tree head in the C2SP tlog-checkpoint format (``note`` is the whole signed note)."""

    size = models.BigIntegerField("树大小", unique=True)
    root_hash = models.CharField("根哈希", max_length=64)
    algorithm = models.CharField("哈希算法", max_length=10)
    signature_algorithm = models.CharField("签名算法", max_length=10)
    origin = models.CharField("日志标识", max_length=200)
    key_id = models.CharField("密钥ID", max_length=8)
    signature = models.TextField("签名（Base64）")
    note = models.TextField("检查点全文")
    created_at = models.DateTimeField("签发时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "存证检查点"
        ordering = ["-size"]

    def __str__(self):
        return f"检查点 {self.size}"
