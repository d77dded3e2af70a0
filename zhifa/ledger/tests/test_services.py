"""Appending, sequencing, roots and proofs from the database, and signed checkpoints (principle 3)."""

import base64
import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from zhifa.ledger import rules, services, signing
from zhifa.ledger.models import ImmutableRowError, LedgerCheckpoint, LedgerLeaf, LedgerNode

pytestmark = pytest.mark.django_db


def test_append_is_one_insert_and_stores_canonical_json_and_its_leaf_hash(world, django_assert_num_queries):
    agency = world.orgs["market"]
    with django_assert_num_queries(1):
        leaf = services.append("test", agency, {"b": 1, "a": "执法"}, organization_id=agency.pk)
    leaf.refresh_from_db()
    assert leaf.data == '{"a":"执法","b":1}'
    assert leaf.leaf_hash == rules.leaf_hash(leaf.data.encode()).hex()
    assert (leaf.index, leaf.source, leaf.object_id) == (None, "organizations.organization", str(agency.pk))


def test_a_leaf_row_keeps_only_the_indexes_lookups_use():
    """Every append maintains every index on the leaf table: kind and leaf hash get one plain
    B-tree each (exact lookups), not PostgreSQL's extra LIKE index that ``db_index=True`` adds."""
    from django.db import connection

    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, LedgerLeaf._meta.db_table)
    by_column = {}
    for name, info in constraints.items():
        if info["index"] and len(info["columns"]) == 1:
            by_column.setdefault(info["columns"][0], []).append(name)
    assert by_column["kind"] == ["ledger_leaf_kind"]
    assert by_column["leaf_hash"] == ["ledger_leaf_hash"]


def test_leaves_cannot_be_edited_or_deleted(append_many):
    leaf = append_many(1)[0]
    leaf.data = "{}"
    with pytest.raises(ImmutableRowError):
        leaf.save()
    with pytest.raises(ImmutableRowError):
        leaf.delete()


def test_sequencing_gives_contiguous_indices_in_id_order_and_the_rfc6962_root(append_many):
    leaves = append_many(5)
    assert services.sequence() == 5
    leaves += append_many(8, start=5)
    assert services.sequence(batch_size=3) == 13  # several batches
    stored = list(LedgerLeaf.objects.order_by("id").values_list("index", "leaf_hash"))
    assert [index for index, _ in stored] == list(range(13))
    hashes = [bytes.fromhex(h) for _, h in stored]
    assert services.root(13) == rules.root_of(hashes)
    assert services.tree_state().root_hash == rules.root_of(hashes).hex()
    assert LedgerNode.objects.count() == 13 + 6 + 3 + 1
    for size in range(14):
        assert services.root(size) == rules.root_of(hashes[:size])


def test_proofs_from_the_database_verify_for_every_index_and_size(append_many):
    append_many(11)
    services.sequence()
    hashes = [
        bytes.fromhex(h) for h in LedgerLeaf.objects.order_by("index").values_list("leaf_hash", flat=True)
    ]
    for size in range(1, 12):
        root = rules.root_of(hashes[:size])
        for index in range(size):
            proof = services.inclusion_proof(index, size)
            assert proof["root_hash"] == root.hex()
            path = [bytes.fromhex(p) for p in proof["proof"]]
            assert rules.verify_inclusion(index, size, hashes[index], path, root)
        for first in range(size + 1):
            proof = services.consistency_proof(first, size)
            path = [bytes.fromhex(p) for p in proof["proof"]]
            assert rules.verify_consistency(first, size, rules.root_of(hashes[:first]), root, path)


def test_proofs_need_few_queries(append_many, django_assert_max_num_queries):
    append_many(40)
    services.sequence()
    with django_assert_max_num_queries(3):  # tree state, leaf, nodes
        services.inclusion_proof(17, 40)
    with django_assert_max_num_queries(2):  # tree state, nodes
        services.consistency_proof(13, 40)


def test_proofs_beyond_the_sequenced_tree_are_refused(append_many):
    append_many(3)
    services.sequence()
    append_many(1, start=3)
    with pytest.raises(services.LedgerError, match="树大小应在0到3之间"):
        services.inclusion_proof(0, 4)
    with pytest.raises(services.LedgerError, match="不在大小为3的树中"):
        services.inclusion_proof(3, 3)
    with pytest.raises(services.LedgerError):
        services.consistency_proof(3, 2)


def test_a_tree_refuses_a_different_hash_algorithm(append_many, settings):
    append_many(2)
    services.sequence()
    settings.LEDGER_HASH_ALGORITHM = "sm3"
    append_many(1, start=2)
    with pytest.raises(ImproperlyConfigured, match="不能混用哈希算法"):
        services.sequence()
    assert LedgerLeaf.objects.filter(index__isnull=True).count() == 1


def test_a_leaf_hashed_with_another_algorithm_is_not_sequenced(append_many, settings):
    append_many(1)
    services.sequence()
    settings.LEDGER_HASH_ALGORITHM = "sm3"
    append_many(1, start=1)
    settings.LEDGER_HASH_ALGORITHM = "sha256"
    with pytest.raises(services.LedgerError, match="不同的哈希算法"):
        services.sequence()


def test_an_sm3_tree_hashes_leaves_and_nodes_with_sm3(append_many, settings):
    settings.LEDGER_HASH_ALGORITHM = "sm3"
    append_many(6)
    services.sequence()
    data = [leaf.encode() for leaf in LedgerLeaf.objects.order_by("index").values_list("data", flat=True)]
    hashes = [rules.leaf_hash(d, "sm3") for d in data]
    assert services.root(6) == rules.root_of(hashes, "sm3")
    proof = services.inclusion_proof(4, 6)
    path = [bytes.fromhex(p) for p in proof["proof"]]
    assert rules.verify_inclusion(4, 6, hashes[4], path, rules.root_of(hashes, "sm3"), "sm3")


# --- Checkpoints ------------------------------------------------------------------------------
def test_checkpoint_signs_the_tree_head_in_c2sp_format_once_per_size(append_many):
    assert services.checkpoint() == (None, False)  # nothing to sign yet
    append_many(3)
    checkpoint, created = services.checkpoint()
    assert created and checkpoint.size == 3
    text, signatures = rules.split_signed_note(checkpoint.note)
    body = rules.parse_checkpoint(text)
    assert (body.origin, body.size, body.root.hex()) == ("zhifa.test/ledger", 3, checkpoint.root_hash)
    assert body.extensions[0].startswith("time ")
    signer = signing.current_signer()
    [(name, key, signature)] = signatures
    assert (name, key) == ("zhifa.test/ledger", signer.key_id)
    assert signing.verify_signature("ed25519", signer.public_key, text.encode(), signature)
    assert base64.b64decode(checkpoint.signature) == signature
    assert services.checkpoint() == (checkpoint, False)
    append_many(1, start=3)
    newer, created = services.checkpoint()
    assert created and newer.size == 4
    assert LedgerCheckpoint.objects.count() == 2


def test_the_signing_key_is_generated_once_with_mode_0600(append_many, ledger_settings):
    append_many(1)
    services.checkpoint()
    key_file = ledger_settings.LEDGER_KEY_DIR / "ed25519.key"
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    first = signing.current_signer().public_key
    signing._signer.cache_clear()
    assert signing.current_signer().public_key == first


def test_a_configured_key_is_used_instead_of_a_file(ledger_settings):
    ledger_settings.LEDGER_SIGNING_KEY = base64.b64encode(bytes(range(32))).decode()
    signer = signing.current_signer()
    assert signer.public_key.hex() == "03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8"
    assert not (ledger_settings.LEDGER_KEY_DIR / "ed25519.key").exists()


def test_sm2_checkpoints_are_signed_with_sm3_and_verify(append_many, ledger_settings):
    ledger_settings.LEDGER_SIGNATURE_ALGORITHM = "sm2"
    append_many(2)
    checkpoint, _ = services.checkpoint()
    assert checkpoint.signature_algorithm == "sm2"
    text, [(_, _, signature)] = rules.split_signed_note(checkpoint.note)
    signer = signing.current_signer()
    assert len(signer.public_key) == 64 and len(signature) == 64
    assert signing.verify_signature("sm2", signer.public_key, text.encode(), signature)
    assert not signing.verify_signature("sm2", signer.public_key, text.encode() + b"x", signature)
    assert signer.verifier_key.split("+")[1] == rules.key_id(signer.name, "sm2", signer.public_key).hex()


def test_a_bad_origin_or_algorithm_is_a_configuration_error(ledger_settings):
    ledger_settings.LEDGER_ORIGIN = "bad origin"
    with pytest.raises(ImproperlyConfigured):
        signing.current_signer()
    ledger_settings.LEDGER_ORIGIN = "ok.example/log"
    ledger_settings.LEDGER_SIGNATURE_ALGORITHM = "rsa"
    with pytest.raises(ImproperlyConfigured):
        signing.current_signer()


def test_previous_keys_are_known_for_verification(ledger_settings):
    public = bytes.fromhex("03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8")
    old = signing.Signer("ed25519", "zhifa.test/ledger", b"", public)
    ledger_settings.LEDGER_PREVIOUS_KEYS = [old.verifier_key]
    keys = signing.known_keys()
    assert keys[("zhifa.test/ledger", old.key_id.hex())] == ("ed25519", old.public_key)
    assert len(keys) == 2
