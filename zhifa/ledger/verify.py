"""Recompute the whole log and report, row by row, anything that no longer matches.

Checks, streaming (memory stays O(batch + log n)). Rows are read as tuples, not model objects,
and each hash is computed once: about 10⁵ entries a second (bench/ledger_bench.py).

1. every leaf's hash from its stored canonical JSON, and the indices 0, 1, 2 … without gaps;
2. every stored node locally: a leaf node equals its leaf's hash, an inner node the hash of its two
   stored children — so a changed row is named, not the whole path above it;
3. the tree state and every checkpoint: the root recomputed from the leaves at its size, the note
   text, and the signature with the known keys;
4. each leaf against its source row, through the payload builder its producer registered;
5. each file a payload lists, re-hashed in chunks from storage.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

from django.core.files.storage import storages
from django.db import connection
from django.db.models import Q

from . import rules, services, signing
from .models import LedgerCheckpoint, LedgerLeaf, LedgerNode, LedgerTree
from .registry import producer

BATCH = 10_000
CHUNK = 1024 * 1024
LEAF_FIELDS = ("id", "index", "kind", "source", "object_id", "data", "algorithm", "leaf_hash")


class LeafRow(NamedTuple):
    """A ledger leaf as read for verification (the fields of LedgerLeaf the checks use)."""

    pk: int
    index: int | None
    kind: str
    source: str
    object_id: str
    data: str
    algorithm: str
    leaf_hash: str


@dataclass(frozen=True)
class Problem:
    where: str
    message: str

    def __str__(self):
        return f"{self.where}：{self.message}"


def verify_ledger(*, check_sources: bool = True, check_files: bool = True) -> Iterator[Problem]:
    tree = LedgerTree.objects.filter(pk=services.TREE_ID).first()
    algorithm = tree.algorithm if tree else services.configured_algorithm()
    checkpoints = list(LedgerCheckpoint.objects.order_by("size"))
    pending_checkpoints = {c.size: c for c in checkpoints}
    frontier = rules.Frontier(algorithm)
    flagged: set = set()  # rows already reported, so that what they feed into is not reported again
    expected_index = 0
    new_hash = rules.hash_constructor(algorithm)
    leaves = LedgerLeaf.objects.filter(index__isnull=False).order_by("index")
    # Read only what the hash checks need unless the rows go on to the source and file checks;
    # the rest of a row is read when it has to be named.
    full = check_sources or check_files
    fields = LEAF_FIELDS if full else ("index", "data", "leaf_hash")
    at_index, at_data, at_hash = (1, 5, 7) if full else (0, 1, 2)
    other_algorithm = set(leaves.exclude(algorithm=algorithm).values_list("index", flat=True))
    for batch in _batches(leaves, fields):
        created: list[tuple[int, int, bytes]] = []
        for row in batch:  # the hot loop: tuples, one hash per leaf and per node
            leaf_index, data = row[at_index], row[at_data].encode("utf-8")
            if leaf_index != expected_index:
                pk = _leaf_at(leaf_index).pk
                yield Problem(
                    f"存证叶子 id={pk}", f"序号为{leaf_index}，应为{expected_index}（序号不连续）。"
                )
                expected_index = leaf_index
            if leaf_index in other_algorithm:
                recomputed, wrong = rules.leaf_hash(data, _leaf_at(leaf_index).algorithm), True
            else:
                recomputed = new_hash(rules.LEAF_PREFIX + data).digest()
                wrong = recomputed.hex() != row[at_hash]
            if wrong:
                flagged.add(("leaf", leaf_index))
                yield from _check_leaf(_leaf_at(leaf_index), algorithm)
            created += frontier.append(recomputed)
            expected_index += 1
            if pending_checkpoints and (checkpoint := pending_checkpoints.pop(frontier.size, None)):
                yield from _check_checkpoint(checkpoint, frontier.root())
        stored = _stored_nodes(batch[0][at_index], batch[-1][at_index] + 1)
        if not stored.issuperset(created):  # some node differs: find it, children first
            by_position = {(level, index): value for level, index, value in stored}
            for level, index, value in created:
                yield from _check_node(level, index, value, by_position, flagged)
        if full:
            batch = [LeafRow._make(row) for row in batch]
        if check_sources:
            yield from _check_sources(batch)
        if check_files:
            yield from _check_files(batch)
    yield from _check_tree(tree, frontier)
    for checkpoint in pending_checkpoints.values():
        yield Problem(f"检查点 {checkpoint.size}", f"树中只有{frontier.size}个叶子，检查点所指的叶子不存在。")
    expected_nodes = sum(frontier.size >> level for level in range(frontier.size.bit_length()))
    if (count := LedgerNode.objects.count()) != expected_nodes:
        yield Problem("存证树节点表", f"共有{count}个节点，按{frontier.size}个叶子应有{expected_nodes}个。")
    unsequenced = LedgerLeaf.objects.filter(index__isnull=True).order_by("id")
    for batch in _batches(unsequenced):
        batch = [LeafRow._make(row) for row in batch]
        for leaf in batch:
            yield from _check_leaf(leaf, algorithm)
        if check_sources:
            yield from _check_sources(batch)
        if check_files:
            yield from _check_files(batch)


def _leaf_at(index: int) -> LeafRow:
    return LeafRow._make(LedgerLeaf.objects.filter(index=index).values_list(*LEAF_FIELDS).get())


def _batches(queryset, fields=LEAF_FIELDS) -> Iterator[list[tuple]]:
    """Lists of up to BATCH rows, as tuples of ``fields``, straight from the database cursor (a
    server-side one on PostgreSQL, as ``QuerySet.iterator`` uses, without its per-row work)."""
    sql, params = queryset.values_list(*fields).query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(BATCH):
            yield batch


def _stored_nodes(start: int, end: int) -> set[tuple[int, int, bytes]]:
    """The stored nodes whose leaves end within [start, end) — those the batch completes — as
    (level, index, hash); one set comparison then checks a whole batch."""
    condition = Q()
    for level in range(max(end, 1).bit_length() + 1):
        low, high = ((start + 1) >> level) - 1, end >> level
        condition |= Q(level=level, index__gte=max(low, 0), index__lt=high)
    sql, params = (
        LedgerNode.objects.filter(condition).values_list("level", "index", "hash").query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return {(level, index, bytes.fromhex(value)) for level, index, value in cursor.fetchall()}


def _where(leaf: LeafRow) -> str:
    position = f"#{leaf.index}" if leaf.index is not None else "（待排序）"
    return f"存证叶子{position}（id={leaf.pk}，{leaf.kind}，来源 {leaf.source} id={leaf.object_id}）"


def _check_leaf(leaf: LeafRow, algorithm: str) -> Iterator[Problem]:
    if leaf.algorithm != algorithm:
        yield Problem(_where(leaf), f"使用{leaf.algorithm}，而存证树使用{algorithm}。")
    if rules.leaf_hash(leaf.data.encode("utf-8"), leaf.algorithm).hex() != leaf.leaf_hash:
        yield Problem(_where(leaf), "存储的规范JSON与其叶子哈希不符（数据被改动）。")


def _check_node(level, index, recomputed, stored, flagged) -> Iterator[Problem]:
    """A leaf node against its leaf row's hash, an inner node against the hash of its two stored
    children; a node above a reported row is not reported again.

    ``recomputed`` is the node as rebuilt from the leaves' data. Where nothing below was reported,
    every stored node below equals its rebuilt value (by induction: a leaf not reported has the
    stored hash of its data), so comparing with ``recomputed`` is the same check without hashing
    the stored children again.
    """
    children = [("leaf", index)] if level == 0 else [(level - 1, 2 * index), (level - 1, 2 * index + 1)]
    if flagged and any(child in flagged for child in children):
        flagged.add((level, index))
        return
    value = stored.get((level, index))
    if value == recomputed:
        return
    flagged.add((level, index))
    where = f"存证树节点（层{level}，序号{index}）"
    yield Problem(where, "缺失。" if value is None else "哈希与重新计算的结果不符（节点被改动）。")


def _check_checkpoint(checkpoint: LedgerCheckpoint, recomputed_root: bytes) -> Iterator[Problem]:
    where = f"检查点 {checkpoint.size}（id={checkpoint.pk}）"
    if checkpoint.root_hash != recomputed_root.hex():
        yield Problem(where, "根哈希与按叶子重新计算的不符。")
    try:
        text, signatures = rules.split_signed_note(checkpoint.note)
        body = rules.parse_checkpoint(text)
    except ValueError as exc:
        yield Problem(where, f"检查点全文无法解析：{exc}")
        return
    if (body.origin, body.size, body.root) != (checkpoint.origin, checkpoint.size, recomputed_root):
        yield Problem(where, "检查点全文与记录的日志标识、树大小或根哈希不符。")
    keys = signing.known_keys()
    verified = False
    for name, key, signature in signatures:
        known = keys.get((name, key.hex()))
        if known is None:
            continue
        if not signing.verify_signature(known[0], known[1], text.encode("utf-8"), signature):
            yield Problem(where, f"签名（密钥 {name} {key.hex()}）验证失败。")
            return
        verified = True
        if base64.b64decode(checkpoint.signature) != signature:
            yield Problem(where, "签名字段与检查点全文中的签名不符。")
    if not verified:
        yield Problem(where, "没有可用已知公钥验证的签名。")


def _check_tree(tree: LedgerTree | None, frontier: rules.Frontier) -> Iterator[Problem]:
    if tree is None:
        return
    if tree.size != frontier.size:
        yield Problem("存证树状态", f"记录的叶子数为{tree.size}，实际已排序{frontier.size}个。")
    elif tree.root_hash and tree.root_hash != frontier.root().hex():
        yield Problem("存证树状态", "记录的根哈希与重新计算的不符。")


def _check_sources(batch: list[LeafRow]) -> Iterator[Problem]:
    by_kind: dict[str, list[LeafRow]] = {}
    for leaf in batch:
        if producer(leaf.kind) is not None:
            by_kind.setdefault(leaf.kind, []).append(leaf)
    for kind, leaves in by_kind.items():
        spec = producer(kind)
        rows = spec.model.objects.select_related(*spec.select_related).in_bulk(
            {int(leaf.object_id) for leaf in leaves if leaf.object_id.isdigit()}
        )
        for leaf in leaves:
            yield from _compare_source(
                leaf, spec, rows.get(int(leaf.object_id)) if leaf.object_id.isdigit() else None
            )


def _compare_source(leaf, spec, row) -> Iterator[Problem]:
    source = f"{spec.model._meta.verbose_name} {spec.model._meta.label_lower} id={leaf.object_id}"
    if row is None:
        yield Problem(_where(leaf), f"来源记录（{source}）已不存在。")
        return
    rebuilt = services.json_native(spec.build(row))
    if rules.canonical_json(rebuilt).decode("utf-8") == leaf.data:
        return
    try:
        recorded = _loads(leaf.data)
    except ValueError:
        recorded = {}
    changed = sorted(k for k in rebuilt.keys() | recorded.keys() if rebuilt.get(k) != recorded.get(k))
    yield Problem(
        _where(leaf),
        f"来源记录（{source}）与存证内容不一致，变化的字段：{'、'.join(changed) or '（格式）'}。",
    )


def _loads(text: str) -> dict:
    import json

    value = json.loads(text)
    return value if isinstance(value, dict) else {}


def _check_files(batch: list[LeafRow]) -> Iterator[Problem]:
    for leaf in batch:
        if '"files"' not in leaf.data:
            continue
        try:
            files = _loads(leaf.data).get("files") or []
        except ValueError:
            continue
        for item in files:
            path = item.get("storage_path")
            algorithm = next((name for name in FILE_ALGORITHMS if item.get(name)), None)
            if not path or algorithm is None:
                continue
            expected = item[algorithm]
            where = f"文件 {path}（{_where(leaf)}）"
            try:
                actual = file_digest(path, algorithm, item.get("storage", "default"))
            except FileNotFoundError:
                yield Problem(where, "文件不存在。")
                continue
            if actual != expected:
                yield Problem(
                    where, f"文件内容已改变：{algorithm.upper()} 为 {actual}，存证记录为 {expected}。"
                )


# A payload's file entry names its digest by algorithm and, for files outside the default
# storage (evidence may live in its own bucket), the storage alias.
FILE_ALGORITHMS = ("sha256", "sm3")


def file_digest(path: str, algorithm: str = "sha256", storage: str = "default") -> str:
    digest = hashlib.new(algorithm)
    with storages[storage].open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()
