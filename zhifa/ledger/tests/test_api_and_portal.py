"""The ledger API (public proofs, staff-only leaf data), the portal page and the staff page."""

import json

import pytest
from django.test import Client

from zhifa.ledger import rules, services
from zhifa.ledger.models import LedgerCheckpoint

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed(append_many):
    append_many(5)
    services.checkpoint()
    append_many(4, start=5)
    return services.checkpoint()[0]


def test_checkpoints_latest_and_public_key_are_public(client, signed):
    listing = client.get("/api/ledger/checkpoints/").json()
    assert [c["size"] for c in listing["results"]] == [9, 5]
    latest = client.get("/api/ledger/checkpoints/latest/").json()
    assert latest["size"] == 9 and latest["note"].startswith("zhifa.test/ledger\n9\n")
    assert client.get("/api/ledger/checkpoints/5/").json()["size"] == 5
    key = client.get("/api/ledger/public-key/").json()
    assert key["verifier_key"].startswith(f"zhifa.test/ledger+{key['key_id']}+")
    assert key["algorithm"] == "ed25519" and key["hash_algorithm"] == "sha256"


def test_inclusion_proof_by_index_or_leaf_hash_defaults_to_the_latest_checkpoint(client, signed):
    proof = client.get("/api/ledger/proofs/inclusion/", {"index": 6}).json()
    assert (proof["tree_size"], proof["root_hash"]) == (9, signed.root_hash)
    path = [bytes.fromhex(p) for p in proof["proof"]]
    assert rules.verify_inclusion(
        6, 9, bytes.fromhex(proof["leaf_hash"]), path, bytes.fromhex(signed.root_hash)
    )
    by_hash = client.get(
        "/api/ledger/proofs/inclusion/", {"leaf_hash": proof["leaf_hash"], "tree_size": 7}
    ).json()
    assert (by_hash["leaf_index"], by_hash["tree_size"]) == (6, 7)


def test_consistency_proof_between_two_checkpoints_verifies(client, signed):
    proof = client.get("/api/ledger/proofs/consistency/", {"first": 5}).json()
    old = LedgerCheckpoint.objects.get(size=5)
    assert (proof["first_root"], proof["second_root"]) == (old.root_hash, signed.root_hash)
    path = [bytes.fromhex(p) for p in proof["proof"]]
    assert rules.verify_consistency(5, 9, bytes.fromhex(old.root_hash), bytes.fromhex(signed.root_hash), path)


@pytest.mark.parametrize(
    ("url", "params", "message"),
    [
        ("/api/ledger/proofs/inclusion/", {"index": "x"}, "应为非负整数"),
        ("/api/ledger/proofs/inclusion/", {"index": 9}, "不在大小为9的树中"),
        ("/api/ledger/proofs/inclusion/", {"index": 0, "tree_size": 99}, "树大小应在0到9之间"),
        ("/api/ledger/proofs/consistency/", {"first": 10, "second": 9}, "旧树大小"),
        ("/api/ledger/proofs/consistency/", {}, "缺少该参数"),
    ],
)
def test_bad_proof_requests_get_a_chinese_400(client, signed, url, params, message):
    response = client.get(url, params)
    assert response.status_code == 400
    assert message in json.dumps(response.json(), ensure_ascii=False)


def test_leaf_data_is_given_only_to_staff_in_scope(client, client_for, world, signed):
    public = client.get("/api/ledger/leaves/0/").json()
    assert public["data"] is None and public["leaf_hash"]
    own = client_for(world.users["market_officer"]).get("/api/ledger/leaves/0/").json()
    assert json.loads(own["data"]) == {"n": 0, "text": "第0条"}
    other = client_for(world.users["east_officer"]).get("/api/ledger/leaves/0/").json()
    assert other["data"] is None
    entries = client_for(world.users["east_officer"]).get("/api/ledger/entries/").json()
    assert entries["count"] == 0
    assert client_for(world.users["market_officer"]).get("/api/ledger/entries/").json()["count"] == 9
    assert Client().get("/api/ledger/entries/").status_code in (401, 403)  # anonymous


def test_only_administrators_sign_a_checkpoint_on_demand(client_for, world, append_many):
    append_many(2)
    officer = client_for(world.users["market_officer"])
    assert officer.post("/api/ledger/checkpoints/").status_code == 403
    admin = client_for(world.users["admin"])
    response = admin.post("/api/ledger/checkpoints/")
    assert response.status_code == 201 and response.json()["size"] == 2
    assert admin.post("/api/ledger/checkpoints/").status_code == 200  # unchanged: no new checkpoint
    assert LedgerCheckpoint.objects.count() == 1


def test_the_api_schema_describes_the_ledger_endpoints(client_for, world):
    schema = client_for(world.users["admin"]).get("/api/schema/", {"format": "json"}).json()
    for path in (
        "/api/ledger/checkpoints/",
        "/api/ledger/proofs/inclusion/",
        "/api/ledger/proofs/consistency/",
    ):
        assert path in schema["paths"]


def test_portal_page_lists_checkpoints_with_the_public_key(client, signed, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        page = client.get("/ledger/")
    text = page.content.decode()
    assert page.status_code == 200 and "执法记录存证" in text
    assert signed.root_hash in text and services.public_key_info()["verifier_key"] in text
    assert "如何验证" in text and "/ledger/verify_proof.py" in text
    assert "记录存证" in client.get("/").content.decode()  # linked from the portal navigation
    script = client.get("/ledger/verify_proof.py")
    assert b"def ed25519_verify" in b"".join(script.streaming_content)


def test_staff_page_shows_state_and_admins_sign_with_a_button(client_for, world, append_many):
    append_many(3)
    admin = client_for(world.users["admin"])
    page = admin.get("/staff/ledger/").content.decode()
    assert "待排序叶子" in page and "立即签发检查点" in page
    response = admin.post("/staff/ledger/checkpoint/", follow=True)
    assert "已签发检查点：树大小 3" in response.content.decode()
    officer_page = client_for(world.users["market_officer"]).get("/staff/ledger/").content.decode()
    assert "立即签发检查点" not in officer_page
    assert client_for(world.users["market_officer"]).post("/staff/ledger/checkpoint/").status_code == 403
    leaf = client_for(world.users["market_officer"]).get("/staff/ledger/leaves/1/").content.decode()
    assert "第1条" in leaf
    hidden = client_for(world.users["east_officer"]).get("/staff/ledger/leaves/1/").content.decode()
    assert "第1条" not in hidden and "只显示哈希" in hidden
