"""RFC 6962 / RFC 9162 trees and proofs against the transparency-dev/merkle vectors, property tests
with hypothesis, canonical JSON (RFC 8785 examples) and the checkpoint text (ARCHITECTURE principle 3)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from zhifa.ledger import rules

from .vectors import CONSISTENCY_PROOFS, EMPTY_ROOT, INCLUSION_PROOFS, LEAVES, NODE_HASHES, ROOTS, SOME_HASH

LEAF_HASHES = [rules.leaf_hash(leaf) for leaf in LEAVES]


def lookup_in(nodes):
    return lambda positions: {p: nodes[p] for p in positions}


def reference_path(m, hashes):
    """RFC 9162 §2.1.3.1 PATH, literally."""
    n = len(hashes)
    if n <= 1:
        return []
    k = rules.split_point(n)
    if m < k:
        return reference_path(m, hashes[:k]) + [rules.root_of(hashes[k:])]
    return reference_path(m - k, hashes[k:]) + [rules.root_of(hashes[:k])]


def reference_subproof(m, hashes, complete):
    """RFC 9162 §2.1.4.1 SUBPROOF, literally."""
    n = len(hashes)
    if m == n:
        return [] if complete else [rules.root_of(hashes)]
    k = rules.split_point(n)
    if m <= k:
        return reference_subproof(m, hashes[:k], complete) + [rules.root_of(hashes[k:])]
    return reference_subproof(m - k, hashes[k:], False) + [rules.root_of(hashes[:k])]


# --- Vectors ----------------------------------------------------------------------------------
def test_rfc6962_leaf_and_node_hashes_match_transparency_dev_vectors():
    nodes = rules.perfect_nodes(LEAF_HASHES)
    for level, row in enumerate(NODE_HASHES):
        for index, expected in enumerate(row):
            assert nodes[(level, index)] == expected
    assert len(nodes) == sum(len(row) for row in NODE_HASHES)


@pytest.mark.parametrize("size", range(9))
def test_rfc6962_roots_for_every_size_match_vectors(size):
    assert rules.root_of(LEAF_HASHES[:size]) == ROOTS[size]
    nodes = rules.perfect_nodes(LEAF_HASHES[:size])
    assert rules.tree_root(size, lookup_in(nodes)) == ROOTS[size]
    frontier = rules.Frontier()
    for leaf in LEAF_HASHES[:size]:
        frontier.append(leaf)
    assert frontier.root() == ROOTS[size]


def test_empty_tree_root_is_the_hash_of_the_empty_string():
    assert rules.empty_root() == EMPTY_ROOT


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION_PROOFS)
def test_rfc9162_inclusion_proofs_match_vectors_and_verify(index, size, proof):
    nodes = rules.perfect_nodes(LEAF_HASHES[:size])
    assert rules.inclusion_proof(index, size, lookup_in(nodes)) == proof
    assert rules.verify_inclusion(index, size, LEAF_HASHES[index], proof, ROOTS[size])


def inclusion_probes(index, size, proof, root, leaf):
    """transparency-dev/merkle corruptInclusionProof."""
    probes = [
        (index - 1, size, root, leaf, proof),
        (index + 1, size, root, leaf, proof),
        (index ^ 2, size, root, leaf, proof),
        (index, size * 2, root, leaf, proof),
        (index, size // 2, root, leaf, proof),
        (index, size, root, b"WrongLeaf", proof),
        (index, size, EMPTY_ROOT, leaf, proof),
        (index, size, SOME_HASH, leaf, proof),
        (index, size, root, leaf, [*proof, b""]),
        (index, size, root, leaf, [*proof, root]),
        (index, size, root, leaf, [b"", *proof]),
        (index, size, root, leaf, [root, *proof]),
    ]
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = bytes([wrong[i][0] ^ 8]) + wrong[i][1:]
        probes.append((index, size, root, leaf, wrong))
    if proof:
        probes.append((index, size, root, leaf, proof[:-1]))
    if len(proof) > 1:
        probes.append((index, size, root, leaf, [proof[0], SOME_HASH, *proof[1:]]))
    return probes


@pytest.mark.parametrize(("index", "size", "proof"), INCLUSION_PROOFS[1:])
def test_rfc9162_corrupted_inclusion_proofs_fail(index, size, proof):
    for probe in inclusion_probes(index, size, proof, ROOTS[size], LEAF_HASHES[index]):
        i, n, root, leaf, path = probe
        assert not rules.verify_inclusion(i, n, leaf, path, root), probe


def test_rfc9162_inclusion_edge_cases_fail():
    for index, size in [(0, 0), (1, 0), (2, 1)]:
        assert not rules.verify_inclusion(index, size, SOME_HASH, [], EMPTY_ROOT)
    single = rules.leaf_hash(b"data")
    assert rules.verify_inclusion(0, 1, single, [], single)
    assert not rules.verify_inclusion(0, 1, b"", [], single)
    assert not rules.verify_inclusion(0, 1, single, [], b"")


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY_PROOFS)
def test_rfc9162_consistency_proofs_match_vectors_and_verify(first, second, proof):
    nodes = rules.perfect_nodes(LEAF_HASHES[:second])
    assert rules.consistency_proof(first, second, lookup_in(nodes)) == proof
    assert rules.verify_consistency(first, second, ROOTS[first], ROOTS[second], proof)


@pytest.mark.parametrize(("first", "second", "proof"), CONSISTENCY_PROOFS[1:])
def test_rfc9162_corrupted_consistency_proofs_fail(first, second, proof):
    """transparency-dev/merkle corruptConsistencyProof."""
    r1, r2 = ROOTS[first], ROOTS[second]
    probes = [
        (first - 1, second, r1, r2, proof),
        (first + 1, second, r1, r2, proof),
        (first ^ 2, second, r1, r2, proof),
        (first, second * 2, r1, r2, proof),
        (first, second // 2, r1, r2, proof),
        (first, second, b"WrongRoot", r2, proof),
        (first, second, r1, b"WrongRoot", proof),
        (first, second, r2, r1, proof),
        (first, second, r1, r2, []),
        (first, second, r1, r2, [*proof, b""]),
        (first, second, r1, r2, [*proof, r1]),
        (first, second, r1, r2, [*proof, r2]),
        (first, second, r1, r2, [b"", *proof]),
        (first, second, r1, r2, [r1, *proof]),
        (first, second, r1, r2, [r2, *proof]),
        (first, second, r1, r2, [proof[0], *proof]),
        (first, second, r1, r2, proof[:-1]),
    ]
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = bytes([wrong[i][0] ^ 16]) + wrong[i][1:]
        probes.append((first, second, r1, r2, wrong))
    for probe in probes:
        assert not rules.verify_consistency(*probe), probe


@pytest.mark.parametrize(
    ("first", "second", "root1", "root2", "proof", "valid"),
    [
        (0, 0, b"1" * 32, b"2" * 32, [], False),
        (1, 1, b"1" * 32, b"2" * 32, [], False),
        (0, 0, b"1" * 32, b"1" * 32, [], True),
        (0, 1, b"1" * 32, b"2" * 32, [], True),
        (1, 1, b"2" * 32, b"2" * 32, [], True),
        (1, 0, b"1" * 32, b"2" * 32, [], False),
        (2, 1, b"1" * 32, b"2" * 32, [], False),
        (1, 2, b"1" * 32, b"2" * 32, [], False),
        (0, 0, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False),
        (0, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False),
        (1, 1, EMPTY_ROOT, EMPTY_ROOT, [EMPTY_ROOT], False),
    ],
)
def test_rfc9162_consistency_edge_cases(first, second, root1, root2, proof, valid):
    """transparency-dev/merkle TestVerifyConsistency's table."""
    assert rules.verify_consistency(first, second, root1, root2, proof) is valid


def test_proof_requests_outside_the_tree_are_refused():
    nodes = rules.perfect_nodes(LEAF_HASHES)
    with pytest.raises(rules.ProofError):
        rules.inclusion_proof(8, 8, lookup_in(nodes))
    with pytest.raises(rules.ProofError):
        rules.consistency_proof(5, 4, lookup_in(nodes))


# --- Properties -------------------------------------------------------------------------------
@st.composite
def tree_and_positions(draw):
    size = draw(st.integers(min_value=1, max_value=300))
    index = draw(st.integers(min_value=0, max_value=size - 1))
    first = draw(st.integers(min_value=0, max_value=size))
    algorithm = draw(st.sampled_from(rules.HASH_ALGORITHMS))
    return size, index, first, algorithm


def flip(proof, which, bit):
    i = which % len(proof)
    changed = bytearray(proof[i])
    changed[(bit // 8) % len(changed)] ^= 1 << (bit % 8)
    return [*proof[:i], bytes(changed), *proof[i + 1 :]]


@settings(max_examples=150, deadline=None)
@given(tree_and_positions(), st.integers(min_value=0), st.integers(min_value=0, max_value=255))
def test_generated_proofs_verify_and_any_bit_flip_fails(params, which, bit):
    size, index, first, algorithm = params
    hashes = [rules.leaf_hash(i.to_bytes(4, "big"), algorithm) for i in range(size)]
    nodes = rules.perfect_nodes(hashes, algorithm)
    root = rules.tree_root(size, lookup_in(nodes), algorithm)
    assert root == rules.root_of(hashes, algorithm)

    path = rules.inclusion_proof(index, size, lookup_in(nodes), algorithm)
    assert path == reference_path(index, hashes) if algorithm == "sha256" else True
    assert rules.verify_inclusion(index, size, hashes[index], path, root, algorithm)
    if path:
        assert not rules.verify_inclusion(index, size, hashes[index], flip(path, which, bit), root, algorithm)
    assert not rules.verify_inclusion(index, size, flip([hashes[index]], 0, bit)[0], path, root, algorithm)

    old_root = rules.tree_root(first, lookup_in(nodes), algorithm)
    proof = rules.consistency_proof(first, size, lookup_in(nodes), algorithm)
    if algorithm == "sha256" and 0 < first < size:
        assert proof == reference_subproof(first, hashes, True)
    assert rules.verify_consistency(first, size, old_root, root, proof, algorithm)
    if proof:
        assert not rules.verify_consistency(first, size, old_root, root, flip(proof, which, bit), algorithm)
    if 0 < first < size:
        assert not rules.verify_consistency(first, size, flip([old_root], 0, bit)[0], root, proof, algorithm)


@given(st.integers(min_value=0, max_value=2000), st.integers(min_value=0, max_value=2000))
def test_perfect_cover_is_contiguous_aligned_and_descending(start, length):
    start = start & ~((1 << 4) - 1) if start % 3 == 0 else start
    cover = rules.perfect_cover(start, start + length)
    position = start
    for level, index in cover:
        assert index << level == position
        position += 1 << level
    assert position == start + length


# --- Hash algorithms --------------------------------------------------------------------------
def test_sm3_is_available_and_matches_gbt_32905_example():
    expected = "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    assert rules.hash_bytes("sm3", b"abc").hex() == expected


def test_sm3_tree_differs_from_sha256_tree_and_unknown_algorithms_are_refused():
    assert rules.leaf_hash(b"", "sm3") != rules.leaf_hash(b"", "sha256")
    with pytest.raises(ValueError, match="不支持的哈希算法"):
        rules.leaf_hash(b"", "md5")


# --- Canonical JSON (RFC 8785) ----------------------------------------------------------------
def test_canonical_json_sorts_keys_by_utf16_code_units_rfc8785_3_2_3():
    value = {"\u20ac": "Euro Sign", "\r": "Carriage Return", "\ufb33": "Hebrew Letter Dalet With Dagesh"}
    value |= {"1": "One", "\U0001f600": "Emoji: Grinning Face", "\u0080": "Control", "\u00f6": "o umlaut"}
    text = rules.canonical_json(value).decode()
    keys = ["\\r", "1", "\u0080", "\u00f6", "\u20ac", "\U0001f600", "\ufb33"]
    positions = [text.index(f'"{k}"') for k in keys]
    assert positions == sorted(positions)


@pytest.mark.parametrize(
    ("number", "text"),
    [
        (0.0, "0"),
        (-0.0, "0"),
        (1.0, "1"),
        (4.5, "4.5"),
        (0.002, "0.002"),
        (1e-7, "1e-7"),
        (1e21, "1e+21"),
        (1e20, "100000000000000000000"),
        (333333333.33333329, "333333333.3333333"),
        (1e30, "1e+30"),
        (-1.5e-9, "-1.5e-9"),
        (5e-324, "5e-324"),
        (1.7976931348623157e308, "1.7976931348623157e+308"),
        (9007199254740991, "9007199254740991"),
    ],
)
def test_canonical_json_numbers_follow_ecmascript_rfc8785_3_2_2_3(number, text):
    assert rules.canonical_json(number).decode() == text


def test_canonical_json_has_no_whitespace_and_keeps_chinese_as_utf8():
    value = {"b": [1, True, None], "a": '示市监罚决〔2026〕1号\n"', "c": {"y": 1, "x": 2}}
    expected = '{"a":"示市监罚决〔2026〕1号\\n\\"","b":[1,true,null],"c":{"x":2,"y":1}}'
    assert rules.canonical_json(value) == expected.encode("utf-8")
    assert rules.canonical_json("\x1f") == b'"\\u001f"'


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), 2**53, {1: "x"}, "\ud800", {"d": object()}])
def test_canonical_json_refuses_what_two_producers_could_encode_differently(bad):
    with pytest.raises(ValueError):
        rules.canonical_json(bad)


# --- Checkpoint text (c2sp.org/tlog-checkpoint, signed-note) -----------------------------------
def test_checkpoint_text_round_trips_and_key_id_follows_signed_note():
    body = rules.CheckpointBody("example.com/log", 8, ROOTS[8], ("time 2026-01-01T00:00:00Z",))
    text = body.text()
    assert (
        text
        == "example.com/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\ntime 2026-01-01T00:00:00Z\n"
    )
    assert rules.parse_checkpoint(text) == body
    public_key = bytes(range(32))
    key = rules.key_id("example.com/log", "ed25519", public_key)
    import hashlib

    assert key == hashlib.sha256(b"example.com/log\n\x01" + public_key).digest()[:4]
    note = rules.signed_note(text, "example.com/log", key, b"s" * 64)
    assert rules.split_signed_note(note) == (text, [("example.com/log", key, b"s" * 64)])
    assert rules.verifier_key("example.com/log", "ed25519", public_key).startswith(
        f"example.com/log+{key.hex()}+"
    )


@pytest.mark.parametrize(
    "text", ["origin\n8\n", "origin\n08\nAAAA\n", "origin\n8\nAAAA", "origin\n\n8\nAAAA\n"]
)
def test_malformed_checkpoints_are_refused(text):
    with pytest.raises(ValueError):
        rules.parse_checkpoint(text)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=0, max_value=6), st.lists(st.integers(min_value=1, max_value=40), max_size=6))
def test_appending_whole_subtrees_gives_the_same_tree_as_appending_leaves(batch_bits, sizes):
    """verify_ledger hashes a batch level by level (rules.subtree_levels) and adds its perfect
    subtrees to the frontier at once (Frontier.append_subtree): the same nodes and roots as one
    leaf at a time."""
    batch = 1 << batch_bits
    total = sum(sizes)
    leaves = [rules.leaf_hash(str(i).encode()) for i in range(total)]
    reference = rules.perfect_nodes(leaves)
    frontier, nodes = rules.Frontier(), {}
    for start in range(0, total, batch):
        chunk = leaves[start : start + batch]
        levels = rules.subtree_levels(chunk)
        for level, hashes in enumerate(levels):
            nodes.update({(level, (start >> level) + i): h for i, h in enumerate(hashes)})
        for level, index in rules.perfect_cover(start, start + len(chunk)):
            value = levels[level][index - (start >> level)]
            nodes.update({(lv, ix): h for lv, ix, h in frontier.append_subtree(level, value)})
        assert frontier.size == start + len(chunk)
        assert frontier.root() == rules.root_of(leaves[: frontier.size])
    assert nodes == reference


def test_a_subtree_must_start_where_the_tree_is_a_multiple_of_its_size():
    frontier = rules.Frontier()
    frontier.append(rules.leaf_hash(b"a"))
    with pytest.raises(ValueError):
        frontier.append_subtree(1, rules.leaf_hash(b"b"))
    copy = frontier.copy()
    copy.append(rules.leaf_hash(b"b"))
    assert (frontier.size, copy.size) == (1, 2)
