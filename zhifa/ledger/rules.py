"""Pure functions of the transparency log: RFC 6962 / RFC 9162 Merkle trees, canonical JSON and the
C2SP checkpoint (signed note) text. No database, no keys.

Tree vocabulary (as in transparency-dev/merkle): a *perfect node* ``(level, index)`` is the root of
the complete subtree over leaves ``[index·2^level, (index+1)·2^level)``. Every subtree hash RFC 9162
needs for a root or a proof is either a perfect node or the right-edge subtree ``[start, size)``,
which is the right fold of the perfect nodes covering it. So a log that stores its perfect nodes
answers roots and proofs by reading O(log n) rows (see :func:`nodes_needed`).

Canonical JSON (what a leaf's data is): RFC 8785 (JCS) style — object keys sorted by their UTF-16
code units, no whitespace, UTF-8, strings escaped exactly as ECMAScript ``JSON.stringify`` does
(only ``"``, ``\\`` and control characters), numbers in the ECMAScript shortest form (``1.0`` → ``1``,
``1e21`` → ``1e+21``). Integers must be exact in IEEE doubles (|n| < 2^53), strings must be valid
Unicode; anything else (Decimal, dates, NaN) is refused so that two producers never hash the same
data differently.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json.encoder as json_encoder
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

LEAF_PREFIX = b"\x00"
NODE_PREFIX = b"\x01"
HASH_ALGORITHMS = ("sha256", "sm3")
MAX_SAFE_INTEGER = 2**53 - 1


class ProofError(ValueError):
    """A proof or tree parameter that cannot be valid (bad sizes, indices, hash lengths)."""


# --- Hashes -----------------------------------------------------------------------------------
def check_algorithm(algorithm: str) -> str:
    if algorithm not in HASH_ALGORITHMS:
        raise ValueError(f"不支持的哈希算法“{algorithm}”，可选：sha256、sm3。")
    return algorithm


def hash_bytes(algorithm: str, data: bytes) -> bytes:
    if algorithm == "sha256":
        return hashlib.sha256(data).digest()
    return hashlib.new(check_algorithm(algorithm), data).digest()


def hash_constructor(algorithm: str) -> Callable[[bytes], object]:
    """``hashlib.sha256``-like constructor for ``algorithm`` (hot loops call it directly)."""
    if algorithm == "sha256":
        return hashlib.sha256
    return functools.partial(hashlib.new, check_algorithm(algorithm))


def new_hasher(algorithm: str):
    """A hashlib object, for hashing a file in chunks."""
    return hashlib.new(check_algorithm(algorithm))


def digest_size(algorithm: str) -> int:
    return 32  # both SHA-256 and SM3 give 256-bit digests


def leaf_hash(data: bytes, algorithm: str = "sha256") -> bytes:
    """RFC 9162 §2.1.1: MTH({d0}) = HASH(0x00 || d0)."""
    return hash_bytes(algorithm, LEAF_PREFIX + data)


def node_hash(left: bytes, right: bytes, algorithm: str = "sha256") -> bytes:
    """RFC 9162 §2.1.1: HASH(0x01 || MTH(left) || MTH(right))."""
    return hash_bytes(algorithm, NODE_PREFIX + left + right)


def empty_root(algorithm: str = "sha256") -> bytes:
    """RFC 9162 §2.1.1: the hash of an empty list is the hash of an empty string."""
    return hash_bytes(algorithm, b"")


def split_point(n: int) -> int:
    """k, the largest power of two smaller than n (n > 1)."""
    return 1 << ((n - 1).bit_length() - 1)


def root_of(leaf_hashes: Sequence[bytes], algorithm: str = "sha256") -> bytes:
    """MTH over leaf hashes, straight from the recursive definition (reference implementation)."""
    n = len(leaf_hashes)
    if n == 0:
        return empty_root(algorithm)
    if n == 1:
        return leaf_hashes[0]
    k = split_point(n)
    return node_hash(root_of(leaf_hashes[:k], algorithm), root_of(leaf_hashes[k:], algorithm), algorithm)


# --- Which subtrees a root or a proof consists of ---------------------------------------------
Range = tuple[int, int]  # [start, end) of leaf indices
Node = tuple[int, int]  # (level, index) of a perfect node


def inclusion_ranges(index: int, size: int) -> list[Range]:
    """The subtrees whose hashes form PATH(index, D[0:size]) (RFC 9162 §2.1.3.1), leaf side first."""
    if not 0 <= index < size:
        raise ProofError(f"叶子序号{index}不在树（共{size}个叶子）中。")
    ranges: list[Range] = []
    lo, hi = 0, size
    while hi - lo > 1:
        k = split_point(hi - lo)
        if index - lo < k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo += k
    ranges.reverse()
    return ranges


def consistency_ranges(first: int, second: int) -> list[Range]:
    """The subtrees whose hashes form PROOF(first, D[0:second]) (RFC 9162 §2.1.4.1)."""
    if not 0 <= first <= second:
        raise ProofError(f"一致性证明要求 0 ≤ 旧树大小（{first}）≤ 新树大小（{second}）。")
    if first in (0, second):
        return []
    ranges: list[Range] = []
    lo, hi, complete = 0, second, True  # SUBPROOF(m, D[lo:hi], b); m = first - lo
    while first != hi:
        k = split_point(hi - lo)
        if first - lo <= k:
            ranges.append((lo + k, hi))
            hi = lo + k
        else:
            ranges.append((lo, lo + k))
            lo, complete = lo + k, False
    if not complete:
        ranges.append((lo, hi))
    ranges.reverse()
    return ranges


def perfect_cover(start: int, end: int) -> list[Node]:
    """The perfect nodes covering [start, end), left to right, each as large as alignment allows."""
    nodes: list[Node] = []
    while start < end:
        level = (start & -start).bit_length() - 1 if start else (end - start).bit_length() - 1
        while start + (1 << level) > end:
            level -= 1
        nodes.append((level, start >> level))
        start += 1 << level
    return nodes


def nodes_needed(ranges: Iterable[Range]) -> set[Node]:
    return {node for lo, hi in ranges for node in perfect_cover(lo, hi)}


def range_hash(start: int, end: int, nodes: dict[Node, bytes], algorithm: str = "sha256") -> bytes:
    """MTH(D[start:end]) for a range that is a subtree of the log (a perfect node or a right edge)."""
    if start == end:
        return empty_root(algorithm)
    cover = [nodes[node] for node in perfect_cover(start, end)]
    result = cover[-1]
    for left in reversed(cover[:-1]):
        result = node_hash(left, result, algorithm)
    return result


def subtree_levels(leaf_hashes: Sequence[bytes], algorithm: str = "sha256") -> list[list[bytes]]:
    """The complete perfect nodes over consecutive leaf hashes whose first leaf is aligned to
    every level asked for, level by level: ``levels[l][i]`` covers leaves [i·2^l, (i+1)·2^l) of
    ``leaf_hashes``. A batch hashed this way costs one call per level instead of one per node."""
    new = hash_constructor(algorithm)
    levels = [list(leaf_hashes)]
    current = levels[0]
    while len(current) > 1:
        pairs = zip(current[::2], current[1::2], strict=False)  # an odd last node waits for its sibling
        current = [new(NODE_PREFIX + left + right).digest() for left, right in pairs]
        levels.append(current)
    return levels


def perfect_nodes(leaf_hashes: Sequence[bytes], algorithm: str = "sha256") -> dict[Node, bytes]:
    """Every perfect node of a tree over ``leaf_hashes`` (in memory: for tests and small trees)."""
    builder = Frontier(algorithm)
    nodes: dict[Node, bytes] = {}
    for leaf in leaf_hashes:
        nodes.update({(level, index): h for level, index, h in builder.append(leaf)})
    return nodes


def inclusion_proof(
    index: int, size: int, lookup: Callable[[set[Node]], dict[Node, bytes]], algorithm: str = "sha256"
) -> list[bytes]:
    """PATH(index, D[0:size]); ``lookup`` returns the perfect nodes asked for (one query)."""
    ranges = inclusion_ranges(index, size)
    nodes = lookup(nodes_needed(ranges))
    return [range_hash(lo, hi, nodes, algorithm) for lo, hi in ranges]


def consistency_proof(
    first: int, second: int, lookup: Callable[[set[Node]], dict[Node, bytes]], algorithm: str = "sha256"
) -> list[bytes]:
    ranges = consistency_ranges(first, second)
    nodes = lookup(nodes_needed(ranges))
    return [range_hash(lo, hi, nodes, algorithm) for lo, hi in ranges]


def tree_root(
    size: int, lookup: Callable[[set[Node]], dict[Node, bytes]], algorithm: str = "sha256"
) -> bytes:
    nodes = lookup(set(perfect_cover(0, size)))
    return range_hash(0, size, nodes, algorithm)


class Frontier:
    """The right edge of a growing tree (a compact range [0, size)): appending a leaf returns the
    perfect nodes it completes, leaf first. Holds O(log n) hashes."""

    def __init__(self, algorithm: str = "sha256", size: int = 0, hashes: Sequence[bytes] = ()):
        cover = perfect_cover(0, size)
        if len(cover) != len(hashes):
            raise ValueError(f"树大小{size}需要{len(cover)}个边缘节点，实际提供{len(hashes)}个。")
        self.algorithm = algorithm
        self._hash = hash_constructor(algorithm)
        self.size = size
        self.stack: list[tuple[int, bytes]] = [
            (level, h) for (level, _), h in zip(cover, hashes, strict=True)
        ]

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        index = self.size
        created = [(0, index, leaf)]
        level, current = 0, leaf
        stack, new = self.stack, self._hash
        while stack and stack[-1][0] == level:
            current = new(NODE_PREFIX + stack.pop()[1] + current).digest()  # node_hash(left, current)
            level += 1
            created.append((level, index >> level, current))
        stack.append((level, current))
        self.size += 1
        return created

    def append_subtree(self, level: int, value: bytes) -> list[tuple[int, int, bytes]]:
        """Append the 2^level leaves whose perfect subtree hashes to ``value`` at once (the size
        must be a multiple of 2^level); returns the nodes above it this completes, lowest first.
        ``append(leaf)`` is ``append_subtree(0, leaf)`` plus the leaf node itself."""
        if self.size & ((1 << level) - 1):
            raise ValueError(f"树大小{self.size}不是2^{level}的倍数，不能整块追加。")
        index, added = self.size >> level, 1 << level
        created: list[tuple[int, int, bytes]] = []
        current, stack, new = value, self.stack, self._hash
        while stack and stack[-1][0] == level:
            current = new(NODE_PREFIX + stack.pop()[1] + current).digest()
            level, index = level + 1, index >> 1
            created.append((level, index, current))
        stack.append((level, current))
        self.size += added
        return created

    def copy(self) -> Frontier:
        clone = Frontier(self.algorithm)
        clone.size, clone.stack = self.size, list(self.stack)
        return clone

    def root(self) -> bytes:
        if not self.stack:
            return empty_root(self.algorithm)
        result = self.stack[-1][1]
        for _, left in reversed(self.stack[:-1]):
            result = node_hash(left, result, self.algorithm)
        return result


# --- Verification (what any client runs) -------------------------------------------------------
def _check_lengths(algorithm: str, *hashes: bytes) -> None:
    size = digest_size(algorithm)
    if any(len(h) != size for h in hashes):
        raise ProofError(f"哈希值长度应为{size}字节。")


def root_from_inclusion_proof(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], algorithm: str = "sha256"
) -> bytes:
    """RFC 9162 §2.1.3.2, steps 1–4: the root the proof leads to."""
    if not 0 <= index < size:
        raise ProofError(f"叶子序号{index}不在树（共{size}个叶子）中。")
    _check_lengths(algorithm, leaf, *proof)
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ProofError("证明路径过长。")
        if fn & 1 or fn == sn:
            r = node_hash(p, r, algorithm)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            r = node_hash(r, p, algorithm)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ProofError("证明路径过短。")
    return r


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes, algorithm: str = "sha256"
) -> bool:
    try:
        _check_lengths(algorithm, root)
        return root_from_inclusion_proof(index, size, leaf, proof, algorithm) == root
    except ProofError:
        return False


def verify_consistency(
    first: int,
    second: int,
    first_root: bytes,
    second_root: bytes,
    proof: Sequence[bytes],
    algorithm: str = "sha256",
) -> bool:
    """RFC 9162 §2.1.4.2, with the trivial cases of transparency-dev/merkle: an empty tree is
    consistent with every tree, and equal sizes need equal roots and an empty proof."""
    try:
        _check_lengths(algorithm, first_root, second_root, *proof)
    except ProofError:
        return False
    if not 0 <= first <= second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof
    if not proof:
        return False
    path = list(proof)
    if first & (first - 1) == 0:  # an exact power of two: the old root is itself a node
        path.insert(0, first_root)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = node_hash(c, fr, algorithm)
            sr = node_hash(c, sr, algorithm)
            if not fn & 1:
                while fn and not fn & 1:
                    fn, sn = fn >> 1, sn >> 1
        else:
            sr = node_hash(sr, c, algorithm)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


# --- Canonical JSON ---------------------------------------------------------------------------
def canonical_json(value) -> bytes:
    """The RFC 8785-style canonical UTF-8 bytes of a JSON value (see the module docstring)."""
    parts: list[str] = []
    _write(value, parts)
    try:
        return "".join(parts).encode("utf-8")
    except UnicodeEncodeError as exc:  # a lone surrogate, in a string or a key
        raise ValueError(_INVALID_STRING) from exc


def _write(value, out: list[str]) -> None:
    kind = type(value)  # the exact built-in types first (most values); subclasses below
    if kind is str:
        out.append(_string(value))
    elif kind is dict:
        _write_object(value, out)
    elif kind is int:
        out.append(_integer(value))
    elif value is None:
        out.append("null")
    elif value is True:
        out.append("true")
    elif value is False:
        out.append("false")
    elif isinstance(value, int):
        out.append(_integer(value))
    elif isinstance(value, float):
        out.append(_number(value))
    elif isinstance(value, str):
        out.append(_string(value))
    elif isinstance(value, list | tuple):
        out.append("[")
        for i, item in enumerate(value):
            if i:
                out.append(",")
            _write(item, out)
        out.append("]")
    elif isinstance(value, dict):
        _write_object(value, out)
    else:
        raise ValueError(f"规范JSON不接受{type(value).__name__}类型的值，请先转换为字符串或数字。")


def _write_object(value: dict, out: list[str]) -> None:
    if not all(isinstance(key, str) for key in value):
        raise ValueError("规范JSON对象的键必须是字符串。")
    out.append("{")
    # Keys in the order of their UTF-16 code units; for ASCII keys that is plain string order.
    if all(key.isascii() for key in value):
        keys = sorted(value)
    else:
        keys = sorted(value, key=lambda k: k.encode("utf-16-be", "surrogatepass"))
    for i, key in enumerate(keys):
        if i:
            out.append(",")
        out.append(_string(key))
        out.append(":")
        _write(value[key], out)
    out.append("}")


def _integer(value: int) -> str:
    if abs(value) > MAX_SAFE_INTEGER:
        raise ValueError(f"整数{value}超出规范JSON允许的范围（±2^53-1），请改用字符串。")
    return str(value)


_INVALID_STRING = "字符串含有无效的Unicode字符（孤立代理项）。"

# JSON.stringify's escaping, which is Python's json.dumps(..., ensure_ascii=False): only '"', '\\'
# and the control characters, these as \b \f \n \r \t or \u00xx (lowercase). Lone surrogates
# pass here and are refused when the whole text is encoded (canonical_json).
_string = json_encoder.encode_basestring


def _number(value: float) -> str:
    """ECMAScript Number::toString of a finite double (RFC 8785 §3.2.2.3)."""
    if not math.isfinite(value):
        raise ValueError("规范JSON不接受NaN或无穷大。")
    if value == 0:
        return "0"
    sign, digit_tuple, exponent = Decimal(repr(value)).as_tuple()
    digits = "".join(map(str, digit_tuple)).rstrip("0")
    exponent += len(digit_tuple) - len(digits)
    k = len(digits)
    n = k + exponent  # value = 0.digits × 10^n
    if k <= n <= 21:
        text = digits + "0" * (n - k)
    elif 0 < n <= 21:
        text = f"{digits[:n]}.{digits[n:]}"
    elif -6 < n <= 0:
        text = "0." + "0" * -n + digits
    else:
        e = n - 1
        mantissa = digits if k == 1 else f"{digits[0]}.{digits[1:]}"
        text = f"{mantissa}e{'+' if e > 0 else '-'}{abs(e)}"
    return ("-" if sign else "") + text


# --- Checkpoints (c2sp.org/tlog-checkpoint, c2sp.org/signed-note) -------------------------------
ED25519 = "ed25519"
SM2 = "sm2"
SIGNATURE_TYPES = {ED25519: b"\x01", SM2: b"\xffzhifa-sm2-sm3"}  # 0xff + identifier, per signed-note


@dataclass(frozen=True)
class CheckpointBody:
    origin: str
    size: int
    root: bytes
    extensions: tuple[str, ...] = ()

    def text(self) -> str:
        lines = [self.origin, str(self.size), base64.b64encode(self.root).decode(), *self.extensions]
        return "\n".join(lines) + "\n"


def parse_checkpoint(text: str) -> CheckpointBody:
    lines = text.split("\n")
    if len(lines) < 4 or lines[-1] != "" or any(not line for line in lines[:-1]):
        raise ValueError("检查点格式错误：应为至少三行非空文本，以换行结尾。")
    origin, size, root = lines[0], lines[1], lines[2]
    if not size.isdigit() or (size != "0" and size.startswith("0")):
        raise ValueError("检查点格式错误：树大小应为不带前导零的十进制数。")
    return CheckpointBody(origin, int(size), base64.b64decode(root, validate=True), tuple(lines[3:-1]))


def key_id(name: str, algorithm: str, public_key: bytes) -> bytes:
    """signed-note: SHA-256(key name || 0x0A || signature type || public key)[:4]."""
    return hashlib.sha256(name.encode() + b"\n" + SIGNATURE_TYPES[algorithm] + public_key).digest()[:4]


def verifier_key(name: str, algorithm: str, public_key: bytes) -> str:
    """The verifier key string ``<name>+<hex key id>+<base64(type || public key)>``."""
    encoded = base64.b64encode(SIGNATURE_TYPES[algorithm] + public_key).decode()
    return f"{name}+{key_id(name, algorithm, public_key).hex()}+{encoded}"


def signed_note(body: str, name: str, key: bytes, signature: bytes) -> str:
    return f"{body}\n— {name} {base64.b64encode(key + signature).decode()}\n"


def split_signed_note(note: str) -> tuple[str, list[tuple[str, bytes, bytes]]]:
    """(text, [(key name, key id, signature)]) of a signed note."""
    text, separator, signatures = note.rpartition("\n\n")
    if not separator:
        raise ValueError("签名文本格式错误：缺少正文与签名之间的空行。")
    result = []
    for line in signatures.rstrip("\n").split("\n"):
        if not line.startswith("— ") or line.count(" ") != 2:
            raise ValueError("签名行格式错误。")
        _, name, encoded = line.split(" ")
        raw = base64.b64decode(encoded, validate=True)
        result.append((name, raw[:4], raw[4:]))
    return text + "\n", result
