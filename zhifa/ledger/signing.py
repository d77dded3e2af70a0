"""The log's signing key: Ed25519 (``cryptography``) by default, SM2 with SM3 (``gmssl``) when
``LEDGER_SIGNATURE_ALGORITHM = "sm2"``. The private key comes from ``LEDGER_SIGNING_KEY`` or is
generated on first use into ``LEDGER_KEY_DIR`` with mode 0600.

Both signatures are over the checkpoint's note text (c2sp.org/signed-note). SM2 uses the default
user ID ``1234567812345678`` (GB/T 35276) and a nonce from :mod:`secrets` (gmssl's own nonce helper
uses :mod:`random`, which is not fit for keys).
"""

from __future__ import annotations

import base64
import os
import secrets
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import rules

SM2_N = int("FFFFFFFEFFFFFFFFFFFFFFFFFFFFFFFF7203DF6B21C6052B53BBF40939D54123", 16)


@dataclass(frozen=True)
class Signer:
    algorithm: str
    name: str
    private_key: bytes  # Ed25519 seed or SM2 scalar, 32 bytes
    public_key: bytes  # Ed25519: 32 bytes; SM2: 64 bytes x || y

    @property
    def key_id(self) -> bytes:
        return rules.key_id(self.name, self.algorithm, self.public_key)

    @property
    def verifier_key(self) -> str:
        return rules.verifier_key(self.name, self.algorithm, self.public_key)

    def sign(self, message: bytes) -> bytes:
        if self.algorithm == rules.ED25519:
            return Ed25519PrivateKey.from_private_bytes(self.private_key).sign(message)
        return _sm2_sign(self.private_key, self.public_key, message)


def verify_signature(algorithm: str, public_key: bytes, message: bytes, signature: bytes) -> bool:
    if algorithm == rules.ED25519:
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(signature, message)
        except (InvalidSignature, ValueError):
            return False
        return True
    if algorithm == rules.SM2:
        return _sm2_verify(public_key, message, signature)
    return False


def parse_verifier_key(text: str) -> tuple[str, str, bytes]:
    """(name, algorithm, public key) of a ``name+keyid+base64`` verifier key."""
    name, key_hex, encoded = text.strip().split("+", 2)
    raw = base64.b64decode(encoded)
    for algorithm, prefix in rules.SIGNATURE_TYPES.items():
        if raw.startswith(prefix):
            public_key = raw[len(prefix) :]
            if rules.key_id(name, algorithm, public_key).hex() != key_hex:
                raise ValueError("验证公钥的密钥ID与公钥不符。")
            return name, algorithm, public_key
    raise ValueError("不支持的签名类型。")


def current_signer() -> Signer:
    algorithm = settings.LEDGER_SIGNATURE_ALGORITHM
    if algorithm not in rules.SIGNATURE_TYPES:
        raise ImproperlyConfigured(f"LEDGER_SIGNATURE_ALGORITHM 只能是 ed25519 或 sm2，当前为“{algorithm}”。")
    origin = settings.LEDGER_ORIGIN
    if not origin or any(c.isspace() or c == "+" for c in origin):
        raise ImproperlyConfigured("LEDGER_ORIGIN 不能为空，也不能含空白或“+”（c2sp.org/signed-note）。")
    return _signer(algorithm, origin, settings.LEDGER_SIGNING_KEY, str(settings.LEDGER_KEY_DIR))


def known_keys() -> dict[tuple[str, str], tuple[str, bytes]]:
    """(key name, key id hex) → (algorithm, public key) for the current and earlier keys."""
    signer = current_signer()
    keys = {(signer.name, signer.key_id.hex()): (signer.algorithm, signer.public_key)}
    for text in settings.LEDGER_PREVIOUS_KEYS:
        name, algorithm, public_key = parse_verifier_key(text)
        keys[(name, rules.key_id(name, algorithm, public_key).hex())] = (algorithm, public_key)
    return keys


@lru_cache(maxsize=8)
def _signer(algorithm: str, origin: str, configured: str, key_dir: str) -> Signer:
    private = _decode_private(algorithm, configured) if configured else _key_file(algorithm, Path(key_dir))
    return Signer(algorithm, origin, private, _public_from_private(algorithm, private))


def _decode_private(algorithm: str, text: str) -> bytes:
    try:
        raw = bytes.fromhex(text) if algorithm == rules.SM2 else base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise ImproperlyConfigured("ZHIFA_LEDGER_SIGNING_KEY 格式错误。") from exc
    if len(raw) != 32:
        raise ImproperlyConfigured("ZHIFA_LEDGER_SIGNING_KEY 应为32字节的私钥。")
    return raw


def _key_file(algorithm: str, key_dir: Path) -> bytes:
    """Read the key file, creating it (0600) on first use. The new key is written to a private
    temporary file and published with a hard link, which fails if another process got there
    first: no reader ever sees a half-written key, and a key is never overwritten."""
    key_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = key_dir / f"{algorithm}.key"
    if not path.exists():
        fd, temporary = tempfile.mkstemp(dir=key_dir, prefix=f".{algorithm}-")  # mode 0600
        try:
            with os.fdopen(fd, "w") as handle:
                handle.write(_new_private(algorithm).hex() + "\n")
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return bytes.fromhex(path.read_text().strip())


def _new_private(algorithm: str) -> bytes:
    if algorithm == rules.ED25519:
        return Ed25519PrivateKey.generate().private_bytes(
            serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
        )
    return (secrets.randbelow(SM2_N - 2) + 1).to_bytes(32, "big")


def _public_from_private(algorithm: str, private: bytes) -> bytes:
    if algorithm == rules.ED25519:
        return (
            Ed25519PrivateKey.from_private_bytes(private)
            .public_key()
            .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
        )
    point = _sm2(private.hex(), "")._kg(int.from_bytes(private, "big"), _sm2_table()["g"])
    return bytes.fromhex(point)


def _sm2_table() -> dict:
    from gmssl.sm2 import default_ecc_table

    return default_ecc_table


def _sm2(private_hex: str, public_hex: str):
    from gmssl.sm2 import CryptSM2

    crypt = CryptSM2(private_key=private_hex, public_key="")
    crypt.public_key = public_hex  # set directly: the constructor strips leading "0"/"4" digits
    return crypt


def _sm2_sign(private: bytes, public: bytes, message: bytes) -> bytes:
    crypt = _sm2(private.hex(), public.hex())
    while True:
        nonce = f"{secrets.randbelow(SM2_N - 1) + 1:064x}"
        signature = crypt.sign_with_sm3(message, nonce)
        if signature:
            return bytes.fromhex(signature)


def _sm2_verify(public: bytes, message: bytes, signature: bytes) -> bool:
    if len(public) != 64 or len(signature) != 64:
        return False
    r, s = int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    if not (0 < r < SM2_N and 0 < s < SM2_N):
        return False
    try:
        return bool(_sm2("", public.hex()).verify_with_sm3(signature.hex(), message))
    except (ValueError, TypeError):
        return False
