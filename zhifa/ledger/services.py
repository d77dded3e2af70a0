"""The only code that changes the ledger.

Public API for other apps::

    append(kind, obj, payload, *, organization_id=None) -> LedgerLeaf   # inside the caller's transaction
    sequence() -> int                                                 # the tree size afterwards
    checkpoint() -> (LedgerCheckpoint | None, created)
    root(size) -> bytes
    inclusion_proof(index, size) / consistency_proof(first, second) -> dict

Appending is one INSERT and takes no lock: a case action must not wait for the log. The sequencer
then gives unsequenced leaves the next indices in id order, under the row lock of the single
``LedgerTree`` row, and stores the perfect nodes they complete. A leaf whose transaction commits
late (with a lower id than leaves already sequenced) is simply picked up by the next run, so the
tree is never forked and no index is skipped.
"""

from __future__ import annotations

import base64
import functools
import json
from datetime import UTC, datetime

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import F
from django.utils import timezone

from . import rules, signing
from .models import LedgerCheckpoint, LedgerLeaf, LedgerNode, LedgerTree

TREE_ID = 1
SEQUENCE_BATCH = 10_000


class LedgerError(Exception):
    pass


def configured_algorithm() -> str:
    algorithm = settings.LEDGER_HASH_ALGORITHM
    if algorithm not in rules.HASH_ALGORITHMS:
        raise ImproperlyConfigured(f"LEDGER_HASH_ALGORITHM 只能是 sha256 或 sm3，当前为“{algorithm}”。")
    return algorithm


def json_native(payload: dict) -> dict:
    """The payload as a JSON column would give it back (dates and Decimals as strings)."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False))


# --- Appending --------------------------------------------------------------------------------
def append(kind: str, obj, payload: dict, *, organization_id: int | None = None) -> LedgerLeaf:
    """Append a leaf for ``obj`` (a saved model row). One INSERT, in the caller's transaction, so
    the leaf exists exactly when the change it records does. ``organization_id`` (the agency the
    record belongs to) scopes who may read the leaf's data."""
    algorithm = configured_algorithm()
    data = rules.canonical_json(json_native(payload))
    leaf = LedgerLeaf(
        kind=kind,
        source=obj._meta.label_lower,
        object_id=str(obj.pk),
        organization_id=organization_id,
        data=data.decode("utf-8"),
        algorithm=algorithm,
        leaf_hash=rules.leaf_hash(data, algorithm).hex(),
    )
    _insert(leaf)
    return leaf


_INSERT_FIELDS = (
    "kind",
    "source",
    "object_id",
    "organization_id",
    "data",
    "algorithm",
    "leaf_hash",
    "created_at",
)


@functools.cache
def _insert_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(LedgerLeaf._meta.get_field(name).column) for name in _INSERT_FIELDS)
    placeholders = ", ".join(["%s"] * len(_INSERT_FIELDS))
    return f"INSERT INTO {quote(LedgerLeaf._meta.db_table)} ({columns}) VALUES ({placeholders}) RETURNING {quote('id')}"


def _insert(leaf: LedgerLeaf) -> None:
    """One INSERT … RETURNING id. The ORM's save() would do the same statement but spends more
    time composing it than the database spends running it (bench/ledger_bench.py); LedgerLeaf has
    no signals or save() logic for new rows beyond the insert."""
    db = connections[DEFAULT_DB_ALIAS]  # the connection itself: one lookup, not one per attribute
    params = [getattr(leaf, name) for name in _INSERT_FIELDS]
    params[-1] = db.ops.adapt_datetimefield_value(params[-1])
    with server_binding_cursor(db) as cursor:
        cursor.execute(_insert_sql(db.vendor), params)
        leaf.pk = cursor.fetchone()[0]
    leaf._state.adding, leaf._state.db = False, db.alias


def server_binding_cursor(db=None, *, binary: bool = False):
    """On PostgreSQL (psycopg 3) a cursor that sends the parameters apart from the statement
    (server-side binding) instead of Django's default client-side binding, which quotes and
    escapes the whole canonical JSON into the SQL text: about a fifth of an append's client CPU.
    ``binary``: results come back binary too (bytea as bytes, bigint without parsing), for the
    bulk reads of ``verify``. No statement is prepared (Django keeps psycopg's prepare_threshold
    off for connection poolers). Wrapped like ``connection.cursor()`` so query logging and
    execute wrappers still see it; elsewhere simply ``connection.cursor()``."""
    db = db or connections[DEFAULT_DB_ALIAS]
    cursor_class = _server_binding_cursor(db.vendor)
    if cursor_class is None:
        return db.cursor()
    db.ensure_connection()
    db.validate_thread_sharing()
    cursor = cursor_class(db.connection)
    if binary:
        from psycopg import pq

        cursor.format = pq.Format.BINARY
    return db.make_debug_cursor(cursor) if db.queries_logged else db.make_cursor(cursor)


@functools.cache
def _server_binding_cursor(vendor: str):
    if vendor != "postgresql":
        return None
    from django.db.backends.postgresql.psycopg_any import is_psycopg3

    if not is_psycopg3:
        return None
    from django.db.backends.postgresql.base import ServerBindingCursor

    return ServerBindingCursor


# --- Sequencing -------------------------------------------------------------------------------
def _locked_tree() -> LedgerTree:
    algorithm = configured_algorithm()
    LedgerTree.objects.bulk_create([LedgerTree(pk=TREE_ID, algorithm=algorithm)], ignore_conflicts=True)
    tree = LedgerTree.objects.select_for_update().get(pk=TREE_ID)
    if tree.algorithm != algorithm:
        raise ImproperlyConfigured(
            f"存证树使用{tree.algorithm}，而当前配置为{algorithm}：同一棵树不能混用哈希算法。"
            "如需更换算法，应另建新的存证树。"
        )
    return tree


def lookup_nodes(positions: set[rules.Node]) -> dict[rules.Node, bytes]:
    """The stored nodes at ``positions``, in one query. Written as SQL: building the same
    ``Q(level=…, index=…) | …`` filter for the ~40 nodes of a proof took longer than running it."""
    if not positions:
        return {}
    quote = connection.ops.quote_name
    table, level, index = quote(LedgerNode._meta.db_table), quote("level"), quote("index")
    condition = " OR ".join([f"({level} = %s AND {index} = %s)"] * len(positions))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {level}, {index}, {quote('hash')} FROM {table} WHERE {condition}",
            [value for position in positions for value in position],
        )
        found = {(lv, ix): bytes.fromhex(value) for lv, ix, value in cursor.fetchall()}
    if missing := positions - found.keys():
        raise LedgerError(f"存证树缺少节点：{sorted(missing)[:5]}。请运行 manage.py verify_ledger 检查。")
    return found


def sequence(batch_size: int = SEQUENCE_BATCH) -> int:
    """Sequence every leaf committed so far, one batch per transaction; returns the tree size."""
    while True:
        size, done = _sequence_batch(batch_size)
        if done:
            return size


def _sequence_batch(batch_size: int) -> tuple[int, bool]:
    with transaction.atomic():
        tree = _locked_tree()
        batch = list(
            LedgerLeaf.objects.filter(index__isnull=True)
            .order_by("id")
            .values_list("id", "algorithm", "leaf_hash")[:batch_size]
        )
        if not batch:
            return tree.size, True
        if mixed := [pk for pk, algorithm, _ in batch if algorithm != tree.algorithm]:
            raise LedgerError(
                f"存证记录 id={mixed[:5]} 使用了与存证树（{tree.algorithm}）不同的哈希算法，拒绝排序。"
            )
        positions = rules.perfect_cover(0, tree.size)
        known = lookup_nodes(set(positions))
        frontier = rules.Frontier(tree.algorithm, tree.size, [known[p] for p in positions])
        first_index, nodes = frontier.size, []
        for _, _, leaf_hash in batch:
            created = frontier.append(bytes.fromhex(leaf_hash))
            nodes.extend(LedgerNode(level=lv, index=ix, hash=h.hex()) for lv, ix, h in created)
        _number(batch, first_index, timezone.now())
        LedgerNode.objects.bulk_create(nodes, batch_size=5000)
        tree.size, tree.root_hash = frontier.size, frontier.root().hex()
        tree.save(update_fields=["size", "root_hash", "updated_at"])
        return tree.size, len(batch) < batch_size


def _number(batch: list[tuple], first_index: int, now) -> None:
    """Give the batch's leaves (in id order) the indices first_index, first_index + 1, …: one
    UPDATE per run of consecutive ids (``index = id + offset``), which is normally the whole batch."""
    start = 0
    for position in range(1, len(batch) + 1):
        if position == len(batch) or batch[position][0] != batch[position - 1][0] + 1:
            low, high = batch[start][0], batch[position - 1][0]
            updated = LedgerLeaf.objects.filter(pk__gte=low, pk__lte=high, index__isnull=True).update(
                index=F("id") + (first_index + start - low), sequenced_at=now
            )
            if updated != high - low + 1:  # cannot happen under the tree lock; never number twice
                raise LedgerError(f"存证记录 id={low}…{high} 排序时数量不符，已回滚。")
            start = position


# --- Reading ----------------------------------------------------------------------------------
def tree_state() -> LedgerTree:
    return LedgerTree.objects.filter(pk=TREE_ID).first() or LedgerTree(
        pk=TREE_ID, algorithm=configured_algorithm()
    )


def _checked_size(size: int, tree: LedgerTree) -> None:
    if not 0 <= size <= tree.size:
        raise LedgerError(f"树大小应在0到{tree.size}之间（当前已排序{tree.size}个叶子）。")


def root(size: int) -> bytes:
    tree = tree_state()
    _checked_size(size, tree)
    return rules.tree_root(size, lookup_nodes, tree.algorithm)


def _nodes_for(size: int, *ranges: rules.Range) -> dict[rules.Node, bytes]:
    """The stored nodes a proof's ranges and the root at ``size`` need, in one query."""
    return lookup_nodes(rules.nodes_needed(ranges) | set(rules.perfect_cover(0, size)))


def inclusion_proof(index: int, size: int) -> dict:
    tree = tree_state()
    _checked_size(size, tree)
    if not 0 <= index < size:
        raise LedgerError(f"叶子序号{index}不在大小为{size}的树中。")
    leaf = LedgerLeaf.objects.only("leaf_hash").get(index=index)
    ranges = rules.inclusion_ranges(index, size)
    nodes = _nodes_for(size, *ranges)
    return {
        "algorithm": tree.algorithm,
        "leaf_index": index,
        "tree_size": size,
        "leaf_hash": leaf.leaf_hash,
        "root_hash": rules.range_hash(0, size, nodes, tree.algorithm).hex(),
        "proof": [rules.range_hash(lo, hi, nodes, tree.algorithm).hex() for lo, hi in ranges],
    }


def consistency_proof(first: int, second: int) -> dict:
    tree = tree_state()
    _checked_size(second, tree)
    if not 0 <= first <= second:
        raise LedgerError("一致性证明要求 0 ≤ 旧树大小 ≤ 新树大小。")
    ranges = rules.consistency_ranges(first, second)
    nodes = _nodes_for(second, *ranges, (0, first))
    return {
        "algorithm": tree.algorithm,
        "first": first,
        "second": second,
        "first_root": rules.range_hash(0, first, nodes, tree.algorithm).hex(),
        "second_root": rules.range_hash(0, second, nodes, tree.algorithm).hex(),
        "proof": [rules.range_hash(lo, hi, nodes, tree.algorithm).hex() for lo, hi in ranges],
    }


# --- Checkpoints ------------------------------------------------------------------------------
def checkpoint_body(origin: str, size: int, root_hash: bytes, algorithm: str, at: datetime):
    """The note text: origin, size, root, then the signing time (and the hash when not SHA-256)."""
    extensions = [f"time {at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%SZ')}"]
    if algorithm != "sha256":
        extensions.append(f"hash {algorithm}")
    return rules.CheckpointBody(origin, size, root_hash, tuple(extensions))


def checkpoint() -> tuple[LedgerCheckpoint | None, bool]:
    """Sequence, then sign the tree head unless the latest checkpoint already has this size.
    Returns (latest checkpoint, whether it is new)."""
    sequence()
    signer = signing.current_signer()
    with transaction.atomic():
        tree = _locked_tree()  # checkpoints are signed one at a time, in tree order
        latest = LedgerCheckpoint.objects.order_by("-size").first()
        if tree.size == 0 or (latest is not None and latest.size == tree.size):
            return latest, False
        at = timezone.now().replace(microsecond=0)
        body = checkpoint_body(signer.name, tree.size, bytes.fromhex(tree.root_hash), tree.algorithm, at)
        text = body.text()
        signature = signer.sign(text.encode("utf-8"))
        created = LedgerCheckpoint.objects.create(
            size=tree.size,
            root_hash=tree.root_hash,
            algorithm=tree.algorithm,
            signature_algorithm=signer.algorithm,
            origin=signer.name,
            key_id=signer.key_id.hex(),
            signature=base64.b64encode(signature).decode(),
            note=rules.signed_note(text, signer.name, signer.key_id, signature),
            created_at=at,
        )
        return created, True


def public_key_info() -> dict:
    signer = signing.current_signer()
    return {
        "origin": signer.name,
        "algorithm": signer.algorithm,
        "hash_algorithm": tree_state().algorithm,
        "key_id": signer.key_id.hex(),
        "public_key": signer.public_key.hex(),
        "public_key_base64": base64.b64encode(signer.public_key).decode(),
        "verifier_key": signer.verifier_key,
    }


def leaf_position(source_obj, kind: str | None = None) -> list[LedgerLeaf]:
    """The leaves recorded for a source row (for showing 'ledger position' on its page)."""
    leaves = LedgerLeaf.objects.filter(source=source_obj._meta.label_lower, object_id=str(source_obj.pk))
    if kind:
        leaves = leaves.filter(kind=kind)
    return list(leaves.only("id", "kind", "index", "leaf_hash", "created_at").order_by("id"))
