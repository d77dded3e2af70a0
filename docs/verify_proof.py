#!/usr/bin/env python3
"""Verify a Zhifa ledger proof offline, with the Python standard library and the log's public key.

    python3 verify_proof.py inclusion --checkpoint checkpoint.txt --key VERIFIER_KEY \\
        --proof proof.json [--leaf-data leaf.json | --leaf-hash HEX]
    python3 verify_proof.py consistency --old-checkpoint old.txt --checkpoint new.txt \\
        --key VERIFIER_KEY --proof consistency.json

A checkpoint file holds the signed note (c2sp.org/tlog-checkpoint), or the JSON the API returns
for a checkpoint (its ``note`` field is used). VERIFIER_KEY is ``name+keyid+base64`` as published
on the portal (/ledger/) and at /api/ledger/public-key/. The script checks the signature first
(Ed25519, RFC 8032 §6 reference code; or SM2 with SM3, GB/T 32918), then the Merkle proof
(RFC 9162 §2.1.3.2 / §2.1.4.2) against the signed root. Exit status 0 means verified.

No third-party packages: copy this single file anywhere with Python 3.8 or later. SM3 (for a log
configured with 国密 algorithms) needs an OpenSSL 3 build of Python (hashlib.new("sm3")).
"""

import argparse
import base64
import hashlib
import json
import sys

# --- Ed25519 verification (RFC 8032 §6, reference implementation) ------------------------------
P = 2**255 - 19
Q = 2**252 + 27742317777372353535851937790883648493


def _inv(x):
    return pow(x, P - 2, P)


D = -121665 * _inv(121666) % P
SQRT_M1 = pow(2, (P - 1) // 4, P)


def _point_add(a, b):
    x = (a[1] - a[0]) * (b[1] - b[0]) % P
    y = (a[1] + a[0]) * (b[1] + b[0]) % P
    c = 2 * a[3] * b[3] * D % P
    d = 2 * a[2] * b[2] % P
    e, f, g, h = y - x, d - c, d + c, y + x
    return (e * f, g * h, f * g, e * h)


def _point_mul(s, point):
    result = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            result = _point_add(result, point)
        point = _point_add(point, point)
        s >>= 1
    return result


def _point_equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % P == 0 and (a[1] * b[2] - b[1] * a[2]) % P == 0


def _recover_x(y, sign):
    if y >= P:
        return None
    x2 = (y * y - 1) * _inv(D * y * y + 1)
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (P + 3) // 8, P)
    if (x * x - x2) % P != 0:
        x = x * SQRT_M1 % P
    if (x * x - x2) % P != 0:
        return None
    if (x & 1) != sign:
        x = P - x
    return x


G_Y = 4 * _inv(5) % P
G_X = _recover_x(G_Y, 0)
G = (G_X, G_Y, 1, G_X * G_Y % P)


def _decompress(data):
    if len(data) != 32:
        return None
    y = int.from_bytes(data, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    return None if x is None else (x, y, 1, x * y % P)


def ed25519_verify(public, message, signature):
    if len(public) != 32 or len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= Q:
        return False
    h = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % Q
    return _point_equal(_point_mul(s, G), _point_add(r, _point_mul(h, a)))


# --- SM2 verification with SM3 (GB/T 32918.2, default user ID) ---------------------------------
SM2_P = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFF
SM2_A = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00000000FFFFFFFFFFFFFFFC
SM2_B = 0x28E9FA9E9D9F5E344D5A9E4BCF6509A7F39789F515AB8F92DDBCBD414D940E93
SM2_N = 0xFFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123
SM2_G = (
    0x32C4AE2C1F1981195F9904466A39C9948FE30BBFF2660BE1715A4589334C74C7,
    0xBC3736A2F4F6779C59BDCEE36B692153D0A9877CC62A474002DF32E52139F0A0,
)
SM2_ID = b"1234567812345678"


def _sm3(data):
    try:
        return hashlib.new("sm3", data).digest()
    except ValueError:
        sys.exit("此 Python 不支持 SM3（需要 OpenSSL 3），无法验证国密签名或 SM3 树。")


def _ec_add(a, b):
    if a is None:
        return b
    if b is None:
        return a
    if a[0] == b[0] and (a[1] + b[1]) % SM2_P == 0:
        return None
    if a == b:
        slope = (3 * a[0] * a[0] + SM2_A) * pow(2 * a[1], SM2_P - 2, SM2_P) % SM2_P
    else:
        slope = (b[1] - a[1]) * pow(b[0] - a[0], SM2_P - 2, SM2_P) % SM2_P
    x = (slope * slope - a[0] - b[0]) % SM2_P
    return (x, (slope * (a[0] - x) - a[1]) % SM2_P)


def _ec_mul(k, point):
    result = None
    while k:
        if k & 1:
            result = _ec_add(result, point)
        point = _ec_add(point, point)
        k >>= 1
    return result


def sm2_verify(public, message, signature):
    if len(public) != 64 or len(signature) != 64:
        return False
    pa = (int.from_bytes(public[:32], "big"), int.from_bytes(public[32:], "big"))
    if (pa[1] ** 2 - pa[0] ** 3 - SM2_A * pa[0] - SM2_B) % SM2_P != 0:
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (0 < r < SM2_N and 0 < s < SM2_N):
        return False
    t = (r + s) % SM2_N
    if t == 0:
        return False
    fields = [SM2_A, SM2_B, SM2_G[0], SM2_G[1], pa[0], pa[1]]
    z = _sm3(len(SM2_ID * 8).to_bytes(2, "big") + SM2_ID + b"".join(v.to_bytes(32, "big") for v in fields))
    e = int.from_bytes(_sm3(z + message), "big")
    point = _ec_add(_ec_mul(s, SM2_G), _ec_mul(t, pa))
    return point is not None and (e + point[0]) % SM2_N == r


# --- Signed notes and checkpoints (c2sp.org/signed-note, c2sp.org/tlog-checkpoint) ---------------
SIGNATURE_TYPES = {b"\x01": "ed25519", b"\xffzhifa-sm2-sm3": "sm2"}


def parse_verifier_key(text):
    name, key_hex, encoded = text.strip().split("+", 2)
    raw = base64.b64decode(encoded)
    for prefix, algorithm in SIGNATURE_TYPES.items():
        if raw.startswith(prefix):
            public = raw[len(prefix) :]
            key_id = hashlib.sha256(name.encode() + b"\n" + prefix + public).digest()[:4]
            if key_id.hex() != key_hex:
                raise ValueError("验证公钥串的密钥ID与公钥不符")
            return name, key_id, algorithm, public
    raise ValueError("不支持的签名类型")


def read_note(path):
    with open(path, encoding="utf-8") as handle:
        text = handle.read()
    if text.lstrip().startswith("{"):
        text = json.loads(text)["note"]
    return text


def verified_checkpoint(note, verifier_key):
    """Check the note's signature with the key and return (origin, size, root, hash algorithm)."""
    name, key_id, algorithm, public = parse_verifier_key(verifier_key)
    body, separator, signatures = note.rpartition("\n\n")
    if not separator:
        raise ValueError("检查点缺少签名")
    body += "\n"
    verified = False
    for line in signatures.rstrip("\n").split("\n"):
        dash, signer, encoded = line.split(" ")
        raw = base64.b64decode(encoded)
        if dash != "\u2014" or signer != name or raw[:4] != key_id:
            continue  # signed-note: signatures of other keys are ignored
        check = ed25519_verify if algorithm == "ed25519" else sm2_verify
        if not check(public, body.encode("utf-8"), raw[4:]):
            raise ValueError("检查点签名验证失败")
        verified = True
    if not verified:
        raise ValueError("检查点没有该公钥的签名")
    lines = body.split("\n")[:-1]
    if len(lines) < 3 or lines[0] != name:
        raise ValueError("检查点格式错误或日志标识与公钥名称不符")
    hash_algorithm = "sm3" if "hash sm3" in lines[3:] else "sha256"
    return lines[0], int(lines[1]), base64.b64decode(lines[2]), hash_algorithm


# --- RFC 9162 verification -------------------------------------------------------------------
def _hash(algorithm, data):
    return hashlib.sha256(data).digest() if algorithm == "sha256" else _sm3(data)


def _node(algorithm, left, right):
    return _hash(algorithm, b"\x01" + left + right)


def root_from_inclusion(algorithm, index, size, leaf, proof):
    """RFC 9162 §2.1.3.2."""
    if index >= size:
        raise ValueError("叶子序号超出树大小")
    fn, sn, r = index, size - 1, leaf
    for p in proof:
        if sn == 0:
            raise ValueError("证明路径过长")
        if fn & 1 or fn == sn:
            r = _node(algorithm, p, r)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            r = _node(algorithm, r, p)
        fn, sn = fn >> 1, sn >> 1
    if sn != 0:
        raise ValueError("证明路径过短")
    return r


def verify_consistency(algorithm, first, second, first_root, second_root, proof):
    """RFC 9162 §2.1.4.2 (an empty tree is consistent with any tree)."""
    if first > second:
        return False
    if first == second:
        return not proof and first_root == second_root
    if first == 0:
        return not proof
    if not proof:
        return False
    path = ([first_root] if first & (first - 1) == 0 else []) + list(proof)
    fn, sn = first - 1, second - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    fr = sr = path[0]
    for c in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr, sr = _node(algorithm, c, fr), _node(algorithm, c, sr)
            while fn and not fn & 1:
                fn, sn = fn >> 1, sn >> 1
        else:
            sr = _node(algorithm, sr, c)
        fn, sn = fn >> 1, sn >> 1
    return fr == first_root and sr == second_root and sn == 0


def _hashes(values):
    result = [bytes.fromhex(v) for v in values]
    if any(len(h) != 32 for h in result):
        raise ValueError("证明中的哈希值长度错误")
    return result


# --- Commands --------------------------------------------------------------------------------
def inclusion(args):
    origin, size, root, algorithm = verified_checkpoint(read_note(args.checkpoint), args.key)
    with open(args.proof, encoding="utf-8") as handle:
        proof = json.load(handle)
    if int(proof["tree_size"]) != size:
        raise ValueError(f"证明针对大小为{proof['tree_size']}的树，而检查点的树大小为{size}")
    if args.leaf_data:
        with open(args.leaf_data, "rb") as handle:
            data = handle.read()
        if data.endswith(b"\n"):  # canonical JSON never ends with a newline; an editor may add one
            data = data[:-1]
        leaf = _hash(algorithm, b"\x00" + data)
        source = "记录原文"
    elif args.leaf_hash:
        leaf, source = bytes.fromhex(args.leaf_hash), "给定的叶子哈希"
    else:
        leaf, source = bytes.fromhex(proof["leaf_hash"]), "证明中的叶子哈希"
    index = int(proof["leaf_index"])
    if root_from_inclusion(algorithm, index, size, leaf, _hashes(proof["proof"])) != root:
        raise ValueError("包含证明不成立：记录不在该检查点的树中，或记录已被改动")
    print(f"验证通过：{source}（叶子 #{index}）包含在 {origin} 签发的检查点（树大小 {size}）中。")


def consistency(args):
    _, old_size, old_root, algorithm = verified_checkpoint(read_note(args.old_checkpoint), args.key)
    origin, new_size, new_root, _ = verified_checkpoint(read_note(args.checkpoint), args.key)
    with open(args.proof, encoding="utf-8") as handle:
        proof = json.load(handle)
    if (int(proof["first"]), int(proof["second"])) != (old_size, new_size):
        raise ValueError("证明的两个树大小与两个检查点不符")
    if not verify_consistency(algorithm, old_size, new_size, old_root, new_root, _hashes(proof["proof"])):
        raise ValueError("一致性证明不成立：新检查点不是在旧检查点之后仅追加记录得到的")
    print(f"验证通过：{origin} 的检查点 {new_size} 是检查点 {old_size} 之后仅追加记录的结果。")


def main(argv=None):
    parser = argparse.ArgumentParser(description="离线验证 Zhifa 存证日志的包含证明与一致性证明。")
    commands = parser.add_subparsers(dest="command", required=True)
    one = commands.add_parser("inclusion", help="验证某条记录包含在检查点中")
    one.add_argument("--checkpoint", required=True, help="检查点文件（签名文本或接口返回的JSON）")
    one.add_argument("--key", required=True, help="验证公钥串 name+keyid+base64")
    one.add_argument("--proof", required=True, help="接口返回的包含证明JSON文件")
    one.add_argument("--leaf-data", help="记录原文（规范JSON）文件")
    one.add_argument("--leaf-hash", help="叶子哈希（十六进制）")
    one.set_defaults(run=inclusion)
    two = commands.add_parser("consistency", help="验证新检查点是旧检查点的追加")
    two.add_argument("--old-checkpoint", required=True)
    two.add_argument("--checkpoint", required=True)
    two.add_argument("--key", required=True)
    two.add_argument("--proof", required=True)
    two.set_defaults(run=consistency)
    args = parser.parse_args(argv)
    try:
        args.run(args)
    except (ValueError, KeyError) as exc:
        print(f"验证失败：{exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
