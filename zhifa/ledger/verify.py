"""Recompute the whole log and report, row by row, anything that no longer matches.

Checks, streaming (memory stays O(batch + log n)):

1. every leaf's hash from its stored canonical JSON, and the indices 0, 1, 2 … without gaps;
2. every stored node locally: a leaf node equals its leaf's hash, an inner node the hash of its two
   stored children — so a changed row is named, not the whole path above it;
3. the tree state and every checkpoint: the root recomputed from the leaves at its size, the note
   text, and the signature with the known keys;
4. each leaf against its source row, through the payload builder its producer registered;
5. each file a payload lists, re-hashed in chunks from storage.

How it stays fast (bench/ledger_bench.py, ≥ 10⁵ entries a second): leaves are read in batches of
BATCH rows (a power of two) by keyset on ``index``, the canonical JSON as bytes (no decoding and
re-encoding) when the source and file checks are skipped. A full batch is one perfect subtree,
hashed level by level (:func:`rules.subtree_levels`); the batch's leaf hashes and each level of
stored nodes are then compared as one hex string each. Only a batch where something differs is
gone through row by row, to name what changed. On PostgreSQL, outside a transaction, everything is
read in one REPEATABLE READ snapshot, so that appends and sequencing while the check runs are not
reported as problems.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import queue
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from operator import itemgetter
from typing import NamedTuple

from django.core.files.storage import storages
from django.db import connection, transaction

from . import rules, services, signing
from .models import LedgerCheckpoint, LedgerLeaf, LedgerNode, LedgerTree
from .registry import producer

BATCH = 1 << 14  # leaves per read: a power of two, so that a full batch is one perfect subtree
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
    with _snapshot():
        yield from _verify(check_sources, check_files)


@contextmanager
def _snapshot():
    """One REPEATABLE READ transaction on PostgreSQL when the caller has none (inside the
    caller's transaction its isolation level stands)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        yield
        return
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        _snapshot_state.owned = True
        try:
            yield
        finally:
            _snapshot_state.owned = False


def _verify(check_sources: bool, check_files: bool) -> Iterator[Problem]:
    if BATCH & (BATCH - 1):
        raise ValueError("BATCH 必须是2的幂。")
    tree = LedgerTree.objects.filter(pk=services.TREE_ID).first()
    algorithm = tree.algorithm if tree else services.configured_algorithm()
    checkpoints = list(LedgerCheckpoint.objects.order_by("size"))
    pending_checkpoints = {c.size: c for c in checkpoints}
    checkpoint_sizes = sorted(pending_checkpoints)
    frontier = rules.Frontier(algorithm)
    flagged: set = set()  # rows already reported, so that what they feed into is not reported again
    expected_index = 0
    new_hash = rules.hash_constructor(algorithm)
    prefix = rules.LEAF_PREFIX
    # Read only what the hash checks need unless the rows go on to the source and file checks;
    # the rest of a row is read when it has to be named.
    full = check_sources or check_files
    for batch, indices, datas, stored_hashes, stored_nodes in _batches_of_leaves(full, algorithm):
        start, count = frontier.size, len(batch)
        leaf_hashes = None
        if indices == list(range(expected_index, expected_index + count)):
            leaf_hashes = [new_hash(prefix + data).digest() for data in datas]  # the hot loop
            if not _same_hex(leaf_hashes, stored_hashes):
                leaf_hashes = None
        if leaf_hashes is None:  # something differs in this batch: go through it row by row
            leaf_hashes = []
            for leaf_index, data, stored in zip(indices, datas, stored_hashes, strict=True):
                if leaf_index != expected_index:
                    pk = _leaf_at(leaf_index).pk
                    yield Problem(
                        f"存证叶子 id={pk}", f"序号为{leaf_index}，应为{expected_index}（序号不连续）。"
                    )
                    expected_index = leaf_index
                recomputed = new_hash(prefix + data).digest()
                if recomputed.hex() != stored:  # changed, or a leaf of another algorithm ("")
                    leaf = _leaf_at(leaf_index)
                    if leaf.algorithm != algorithm:  # named by _check_leaf; its own hash goes on
                        recomputed = rules.leaf_hash(data, leaf.algorithm)
                    flagged.add(("leaf", start + len(leaf_hashes)))
                    yield from _check_leaf(leaf, algorithm)
                leaf_hashes.append(recomputed)
                expected_index += 1
        else:
            expected_index += count
        levels = rules.subtree_levels(leaf_hashes, algorithm)
        while checkpoint_sizes and checkpoint_sizes[0] <= start:  # cannot be reached: named below
            checkpoint_sizes.pop(0)
        before = frontier.copy() if checkpoint_sizes and checkpoint_sizes[0] <= start + count else None
        above: list[tuple[int, int, bytes]] = []  # nodes the batch completes above its own subtrees
        for level, index in rules.perfect_cover(start, start + count):
            above += frontier.append_subtree(level, levels[level][index - (start >> level)])
        while checkpoint_sizes and checkpoint_sizes[0] <= start + count:
            size = checkpoint_sizes.pop(0)
            partial = frontier
            if size != frontier.size:  # the root at a size within the batch
                partial = before.copy()
                for level, index in rules.perfect_cover(start, size):
                    partial.append_subtree(level, levels[level][index - (start >> level)])
            yield from _check_checkpoint(pending_checkpoints.pop(size), partial.root())
        yield from _check_nodes(start, stored_nodes, levels, above, flagged)
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


def _same_hex(digests: list[bytes], texts: list[str]) -> bool:
    """Whether ``texts`` are exactly the lowercase hex of ``digests``: one string comparison."""
    if len(digests) != len(texts):
        return False
    if not texts:
        return True
    width = 2 * len(digests[0])
    return min(map(len, texts)) == width == max(map(len, texts)) and "".join(texts) == b"".join(digests).hex()


class _Batch(NamedTuple):
    """What one batch of sequenced leaves needs from the database."""

    rows: list[tuple]  # LEAF_FIELDS when the source or file checks run, else (index, JSON bytes, hash)
    indices: list[int]
    datas: list[bytes]  # each leaf's canonical JSON as bytes
    hashes: list[str]  # each leaf's stored hash; "" for a leaf of another algorithm than the tree's
    nodes: list[tuple[int, int, str]]  # the stored nodes the batch completes, by level and index


def _batches_of_leaves(full: bool, algorithm: str) -> Iterator[_Batch]:
    """The sequenced leaves in index order, BATCH rows at a time, with the stored nodes each batch
    completes. On PostgreSQL, when verify_ledger holds its own snapshot, a second connection on
    the same snapshot reads the next batches while this one is checked (the database and Python
    then work at the same time); otherwise they are read here, one after the other."""
    if _owns_snapshot():
        yield from _read_ahead(full, algorithm)
        return
    with (
        services.server_binding_cursor(binary=not full) as leaf_cursor,
        services.server_binding_cursor(binary=True) as node_cursor,
    ):
        yield from _read(leaf_cursor, node_cursor, full, algorithm, connection.ops)


def _read(leaf_cursor, node_cursor, full: bool, algorithm: str, ops) -> Iterator[_Batch]:
    """Keyset on the unique ``index``; without the source and file checks the JSON is read as
    bytes (not decoded to text and encoded back) and the database compares the algorithm."""
    quote = ops.quote_name  # ``ops``: the main thread's connection.ops (this may run in another)
    index, data, leaf_hash = quote("index"), quote("data"), quote("leaf_hash")
    params: list = []
    if full:
        columns = ", ".join(quote(LedgerLeaf._meta.get_field(f).column) for f in LEAF_FIELDS)
    else:
        as_bytes = (
            f"convert_to({data}, 'UTF8')"
            if ops.connection.vendor == "postgresql"
            else f"CAST({data} AS BLOB)"
        )
        same = f"CASE WHEN {quote('algorithm')} = %s THEN {leaf_hash} ELSE '' END"
        columns, params = f"{index}, {as_bytes}, {same}", [algorithm]
    select = f"SELECT {columns} FROM {quote(LedgerLeaf._meta.db_table)} WHERE {index} "
    order = f" ORDER BY {index} LIMIT {BATCH}"
    at_index = 1 if full else 0
    position, last = 0, None
    while True:
        if last is None:
            leaf_cursor.execute(select + "IS NOT NULL" + order, params)
        else:
            leaf_cursor.execute(select + "> %s" + order, [*params, last])
        rows = leaf_cursor.fetchall()
        if not rows:
            return
        if full:
            indices = [row[1] for row in rows]
            datas = [row[5].encode("utf-8") for row in rows]
            hashes = [row[7] if row[6] == algorithm else "" for row in rows]
        else:
            indices = [row[0] for row in rows]
            datas = [row[1] for row in rows]
            hashes = [row[2] for row in rows]
        nodes = _stored_nodes(node_cursor, quote, position, position + len(rows))
        yield _Batch(rows, indices, datas, hashes, nodes)
        if len(rows) < BATCH:
            return
        position, last = position + len(rows), rows[-1][at_index]


def _stored_nodes(cursor, quote, start: int, end: int) -> list[tuple[int, int, str]]:
    """The stored nodes whose leaves end within [start, end) — those the batch completes — as
    (level, index, hash) rows ordered by level and index.

    Not sorted by the database: at 10⁶ leaves its sort of each batch's ~2·BATCH rows spilled to
    disk and took most of the database's time. The sequencer writes each level's nodes in index
    order, so the rows, in table order, only need a stable sort by level here (when the table
    order is another, :func:`_check_nodes` sorts them fully)."""
    level_, index_ = quote("level"), quote("index")
    conditions, params = [], []
    for level in range(max(end, 1).bit_length() + 1):
        # the last leaf of node (level, i) is (i + 1)·2^level - 1
        low, high = ((start + (1 << level)) >> level) - 1, end >> level
        if low < high:
            conditions.append(f"({level_} = %s AND {index_} >= %s AND {index_} < %s)")
            params += [level, low, high]
    if not conditions:
        return []
    cursor.execute(
        f"SELECT {level_}, {index_}, {quote('hash')} FROM {quote(LedgerNode._meta.db_table)} "
        f"WHERE {' OR '.join(conditions)}",
        params,
    )
    rows = cursor.fetchall()
    rows.sort(key=itemgetter(0))
    return rows


def _owns_snapshot() -> bool:
    return getattr(_snapshot_state, "owned", False)


_snapshot_state = threading.local()


def _read_ahead(full: bool, algorithm: str) -> Iterator[_Batch]:
    """:func:`_read` on a second connection that imports this transaction's snapshot, in a
    thread, up to two batches ahead."""
    import psycopg
    from psycopg import pq
    from psycopg import sql as psycopg_sql

    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
    params, ops = connection.get_connection_params(), connection.ops
    ahead: queue.Queue = queue.Queue(maxsize=2)
    stop = threading.Event()
    done = object()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.5)
                return True
            except queue.Full:
                continue
        return False

    def work() -> None:
        try:
            with psycopg.connect(**params) as reader:
                reader.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
                reader.read_only = True
                reader.execute(psycopg_sql.SQL("SET TRANSACTION SNAPSHOT {}").format(snapshot))
                leaf_cursor, node_cursor = psycopg.Cursor(reader), psycopg.Cursor(reader)
                leaf_cursor.format = node_cursor.format = pq.Format.BINARY
                for batch in _read(leaf_cursor, node_cursor, full, algorithm, ops):
                    if not put(batch):
                        return
                reader.rollback()
            put(done)
        except BaseException as exc:  # handed to the checking thread, which raises it
            put(exc)

    reader_thread = threading.Thread(target=work, name="verify_ledger-reader", daemon=True)
    reader_thread.start()
    try:
        while True:
            item = ahead.get()
            if item is done:
                return
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        reader_thread.join()


def _check_nodes(
    start: int, rows: list[tuple], levels: list[list[bytes]], above, flagged
) -> Iterator[Problem]:
    """The stored nodes ``rows`` completed by the batch from ``start`` against the recomputed ones: ``levels``
    (the batch's own perfect subtrees, level by level, from ``start``) and ``above`` (the nodes its
    subtrees completed with earlier ones). One hex comparison per level when all is well."""
    expected: dict[int, tuple[int, list[bytes]]] = {
        level: (start >> level, hashes) for level, hashes in enumerate(levels) if hashes
    }
    clash = False
    for level, index, value in above:
        if level in expected:
            clash = True
        expected[level] = (index, [value])
    if not clash:
        if _nodes_match(expected, rows):
            return
        rows.sort()  # in case the table order was not the sequencer's
        if _nodes_match(expected, rows):
            return
    by_position = {}
    for level, index, value in rows:
        try:
            by_position[(level, index)] = bytes.fromhex(value)
        except ValueError:
            by_position[(level, index)] = b""  # not a hash at all: reported as changed
    created = [
        (level, (start >> level) + offset, value)
        for level, hashes in enumerate(levels)
        for offset, value in enumerate(hashes)
    ]
    for level, index, value in created + above:  # children before their parents
        yield from _check_node(level, index, value, by_position, flagged)


def _nodes_match(expected: dict, rows: list[tuple]) -> bool:
    if len(rows) != sum(len(hashes) for _, hashes in expected.values()):
        return False
    stored_levels = [row[0] for row in rows]
    for level, (first, hashes) in expected.items():
        low = bisect.bisect_left(stored_levels, level)
        high = bisect.bisect_right(stored_levels, level, low)
        found = rows[low:high]
        if [row[1] for row in found] != list(range(first, first + len(hashes))):
            return False
        if not _same_hex(hashes, [row[2] for row in found]):
            return False
    return True


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
