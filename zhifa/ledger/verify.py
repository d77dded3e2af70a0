"""Recompute the whole log and report, row by row, anything that no longer matches.

Checks, streaming (memory stays O(batch + log n)):

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

from django.core.files.storage import storages
from django.db.models import Q

from . import rules, services, signing
from .models import LedgerCheckpoint, LedgerLeaf, LedgerNode, LedgerTree
from .registry import producer

BATCH = 2000
CHUNK = 1024 * 1024


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
    stored: dict[rules.Node, bytes] = {}  # stored nodes still needed as children
    flagged: set = set()  # rows already reported, so that what they feed into is not reported again
    expected_index = 0
    leaves = LedgerLeaf.objects.filter(index__isnull=False).order_by("index")
    for batch in _batches(leaves):
        stored.update(_stored_nodes(batch[0].index, batch[-1].index + 1))
        for leaf in batch:
            if leaf.index != expected_index:
                yield Problem(
                    f"存证叶子 id={leaf.pk}", f"序号为{leaf.index}，应为{expected_index}（序号不连续）。"
                )
                expected_index = leaf.index
            if leaf_problems := list(_check_leaf(leaf, algorithm)):
                flagged.add(("leaf", leaf.index))
                yield from leaf_problems
            recomputed = rules.leaf_hash(leaf.data.encode("utf-8"), leaf.algorithm)
            for level, index, _ in frontier.append(recomputed):
                yield from _check_node(
                    level, index, bytes.fromhex(leaf.leaf_hash), stored, flagged, algorithm
                )
            expected_index += 1
            if checkpoint := pending_checkpoints.pop(frontier.size, None):
                yield from _check_checkpoint(checkpoint, frontier.root())
        keep = set(rules.perfect_cover(0, frontier.size))
        stored = {k: v for k, v in stored.items() if k in keep}
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
        for leaf in batch:
            yield from _check_leaf(leaf, algorithm)
        if check_sources:
            yield from _check_sources(batch)
        if check_files:
            yield from _check_files(batch)


def _batches(queryset) -> Iterator[list[LedgerLeaf]]:
    batch: list[LedgerLeaf] = []
    for leaf in queryset.iterator(chunk_size=BATCH):
        batch.append(leaf)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _stored_nodes(start: int, end: int) -> dict[rules.Node, bytes]:
    """The stored nodes whose leaves end within [start, end) — those the batch completes."""
    condition = Q()
    for level in range(max(end, 1).bit_length() + 1):
        low, high = ((start + 1) >> level) - 1, end >> level
        condition |= Q(level=level, index__gte=max(low, 0), index__lt=high)
    return {(n.level, n.index): bytes.fromhex(n.hash) for n in LedgerNode.objects.filter(condition)}


def _where(leaf: LedgerLeaf) -> str:
    position = f"#{leaf.index}" if leaf.index is not None else "（待排序）"
    return f"存证叶子{position}（id={leaf.pk}，{leaf.kind}，来源 {leaf.source} id={leaf.object_id}）"


def _check_leaf(leaf: LedgerLeaf, algorithm: str) -> Iterator[Problem]:
    if leaf.algorithm != algorithm:
        yield Problem(_where(leaf), f"使用{leaf.algorithm}，而存证树使用{algorithm}。")
    if rules.leaf_hash(leaf.data.encode("utf-8"), leaf.algorithm).hex() != leaf.leaf_hash:
        yield Problem(_where(leaf), "存储的规范JSON与其叶子哈希不符（数据被改动）。")


def _check_node(level, index, stored_leaf, stored, flagged, algorithm) -> Iterator[Problem]:
    """A leaf node against its leaf row's hash, an inner node against its two stored children."""
    where = f"存证树节点（层{level}，序号{index}）"
    value = stored.get((level, index))
    children = [("leaf", index)] if level == 0 else [(level - 1, 2 * index), (level - 1, 2 * index + 1)]
    if any(child in flagged for child in children):
        flagged.add((level, index))
        return
    if value is None:
        flagged.add((level, index))
        yield Problem(where, "缺失。")
        return
    if level == 0:
        expected = stored_leaf
    else:
        expected = rules.node_hash(stored[children[0]], stored[children[1]], algorithm)
    if value != expected:
        flagged.add((level, index))
        yield Problem(where, "哈希与重新计算的结果不符（节点被改动）。")


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


def _check_sources(batch: list[LedgerLeaf]) -> Iterator[Problem]:
    by_kind: dict[str, list[LedgerLeaf]] = {}
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


def _check_files(batch: list[LedgerLeaf]) -> Iterator[Problem]:
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
