"""docs/verify_proof.py, run as a separate process with only the standard library, against proofs
and checkpoints produced by the app (Ed25519 and SM2/SM3)."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from zhifa.ledger import services

pytestmark = pytest.mark.django_db
SCRIPT = settings.BASE_DIR / "docs" / "verify_proof.py"


def run(*args):
    # -I: isolated mode, so nothing from the project (or its virtualenv's site-packages) is used
    result = subprocess.run(
        [sys.executable, "-I", str(SCRIPT), *args], capture_output=True, text=True, timeout=60
    )
    return result.returncode, result.stdout + result.stderr


@pytest.fixture
def files(tmp_path, append_many):
    append_many(6)
    services.checkpoint()
    append_many(5, start=6)
    services.checkpoint()
    api = Client()
    write = {}

    def save(name, content):
        path = tmp_path / name
        path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
        write[name] = str(path)
        return str(path)

    save("old.json", api.get("/api/ledger/checkpoints/6/").json())
    save("new.txt", api.get("/api/ledger/checkpoints/latest/").json()["note"])
    save("proof.json", api.get("/api/ledger/proofs/inclusion/", {"index": 7}).json())
    save("consistency.json", api.get("/api/ledger/proofs/consistency/", {"first": 6}).json())
    from zhifa.ledger.models import LedgerLeaf

    save("leaf.json", LedgerLeaf.objects.get(index=7).data + "\n")
    save("other.json", LedgerLeaf.objects.get(index=8).data)
    write["key"] = services.public_key_info()["verifier_key"]
    return write


def test_script_verifies_an_inclusion_proof_from_the_leaf_data(files):
    code, out = run(
        "inclusion",
        "--checkpoint",
        files["new.txt"],
        "--key",
        files["key"],
        "--proof",
        files["proof.json"],
        "--leaf-data",
        files["leaf.json"],
    )
    assert code == 0, out
    assert "验证通过" in out and "叶子 #7" in out


def test_script_refuses_other_data_a_forged_checkpoint_or_another_key(files, tmp_path):
    code, out = run(
        "inclusion",
        "--checkpoint",
        files["new.txt"],
        "--key",
        files["key"],
        "--proof",
        files["proof.json"],
        "--leaf-data",
        files["other.json"],
    )
    assert code == 1 and "包含证明不成立" in out
    note = Path(files["new.txt"]).read_text(encoding="utf-8")
    forged = tmp_path / "forged.txt"
    forged.write_text(note.replace("\n11\n", "\n12\n", 1), encoding="utf-8")
    code, out = run(
        "inclusion", "--checkpoint", str(forged), "--key", files["key"], "--proof", files["proof.json"]
    )
    assert code == 1 and "签名验证失败" in out
    name, key_id, encoded = files["key"].split("+", 2)
    other = "zhifa.test/other+" + key_id + "+" + encoded
    code, out = run(
        "inclusion", "--checkpoint", files["new.txt"], "--key", other, "--proof", files["proof.json"]
    )
    assert code == 1


def test_script_verifies_a_consistency_proof_and_refuses_a_tampered_one(files, tmp_path):
    args = [
        "consistency",
        "--old-checkpoint",
        files["old.json"],
        "--checkpoint",
        files["new.txt"],
        "--key",
        files["key"],
        "--proof",
        files["consistency.json"],
    ]
    code, out = run(*args)
    assert code == 0, out
    assert "检查点 11 是检查点 6 之后仅追加记录的结果" in out
    proof = json.loads(Path(files["consistency.json"]).read_text(encoding="utf-8"))
    proof["proof"][0] = "00" + proof["proof"][0][2:]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(proof))
    code, out = run(*args[:-1], str(bad))
    assert code == 1 and "一致性证明不成立" in out


def test_script_verifies_sm2_signatures_over_an_sm3_tree(append_many, ledger_settings, tmp_path):
    ledger_settings.LEDGER_SIGNATURE_ALGORITHM = "sm2"
    ledger_settings.LEDGER_HASH_ALGORITHM = "sm3"
    append_many(3)
    checkpoint, _ = services.checkpoint()
    (tmp_path / "cp.txt").write_text(checkpoint.note, encoding="utf-8")
    (tmp_path / "proof.json").write_text(json.dumps(services.inclusion_proof(2, 3)))
    key = services.public_key_info()["verifier_key"]
    code, out = run(
        "inclusion",
        "--checkpoint",
        str(tmp_path / "cp.txt"),
        "--key",
        key,
        "--proof",
        str(tmp_path / "proof.json"),
    )
    assert code == 0, out
    forged = checkpoint.note.replace("\n3\n", "\n4\n", 1)
    (tmp_path / "cp.txt").write_text(forged, encoding="utf-8")
    code, out = run(
        "inclusion",
        "--checkpoint",
        str(tmp_path / "cp.txt"),
        "--key",
        key,
        "--proof",
        str(tmp_path / "proof.json"),
    )
    assert code == 1 and "签名验证失败" in out
