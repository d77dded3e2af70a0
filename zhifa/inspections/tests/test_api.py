"""The 双随机抽查 API: the same services and scope as the pages, described in the OpenAPI schema."""

from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from zhifa.inspections import services
from zhifa.inspections.models import InspectionTarget, InspectionTask

from .conftest import credit_code

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_task_flow_through_the_api(world, make_targets, pool, item):
    make_targets(8)
    client = api(world.users["market_head"])
    response = client.post(
        "/api/inspections/tasks/",
        {
            "agency": world.orgs["market"].pk,
            "name": "接口创建的抽查任务",
            "items": [item.pk],
            "field": "SCJG",
            "region": "379900",
            "period_start": TODAY.isoformat(),
            "period_end": (TODAY + timedelta(days=30)).isoformat(),
            "sample_count": 2,
            "officers_per_target": 2,
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    task_id = response.json()["id"]
    preview = client.get(f"/api/inspections/tasks/{task_id}/draw-preview/").json()
    assert preview["targets"] == 8 and preview["sample_size"] == 2 and len(preview["eligible_officers"]) == 4
    draw = client.post(f"/api/inspections/tasks/{task_id}/draw/", {}, format="json")
    assert draw.status_code == 201 and len(draw.json()["seed"]) == 32
    again = client.post(f"/api/inspections/tasks/{task_id}/draw/", {}, format="json")
    assert again.status_code == 400 and "理由" in again.json()["reason"][0]
    detail = client.get(f"/api/inspections/tasks/{task_id}/").json()
    first = detail["assignments"][0]
    assert len(detail["assignments"]) == 2 and len(first["officers"]) == 2 and first["case"] is None
    recusal = client.post(
        f"/api/inspections/tasks/{task_id}/recusals/",
        {"assignment": first["id"], "officer": first["officer_ids"][0], "reason": "近亲属经营"},
        format="json",
    )
    assert recusal.status_code == 201 and recusal.json()["replacement"] not in first["officer_ids"]
    confirmed = client.post(f"/api/inspections/tasks/{task_id}/confirm/")
    assert confirmed.status_code == 200
    body = confirmed.json()
    assert body["status"] == "confirmed" and all(a["case_number"] for a in body["assignments"])
    assert body["progress"]["drawn"] == 2 and body["progress"]["with_case"] == 2
    results = client.get(f"/api/inspections/tasks/{task_id}/results/").json()
    assert results["by_stage"] == [{"label": "待检查", "count": 2}]


def test_p1_refusal_through_the_api(world, make_targets, item, make_task):
    make_targets(3)
    task = make_task()
    response = api(world.users["market_head"]).post(
        f"/api/inspections/tasks/{task.pk}/draw/", {}, format="json"
    )
    assert response.status_code == 400
    assert "P1" in str(response.json()) and "第四十二条" in str(response.json())


def test_officer_may_not_draw(world, make_targets, pool, make_task):
    task = make_task()
    client = api(world.users["market_officer"])
    assert client.get(f"/api/inspections/tasks/{task.pk}/").status_code == 200
    assert client.post(f"/api/inspections/tasks/{task.pk}/draw/", {}, format="json").status_code == 403


def test_foreign_ids_are_404(world, make_targets, item):
    from zhifa.powers.models import InspectionItem

    east_item = InspectionItem.objects.create(
        agency=world.orgs["east_market"], field_name="东城", name="东城事项", target="商户", method="现场检查"
    )
    east = services.create_task(
        world.users["east_head"],
        InspectionTask(
            agency=world.orgs["east_market"],
            name="东城任务",
            field=world.fields["market"],
            region=world.regions["east"],
            period_start=TODAY,
            period_end=TODAY,
            sample_count=1,
        ),
        [east_item],
    )
    (target,) = make_targets(1, agency=world.orgs["east_market"], region=world.regions["east"])
    client = api(world.users["market_head"])
    for method, url in (
        ("get", f"/api/inspections/tasks/{east.pk}/"),
        ("get", f"/api/inspections/tasks/{east.pk}/draw-preview/"),
        ("get", f"/api/inspections/tasks/{east.pk}/results/"),
        ("post", f"/api/inspections/tasks/{east.pk}/draw/"),
        ("post", f"/api/inspections/tasks/{east.pk}/confirm/"),
        ("get", f"/api/inspections/targets/{target.pk}/"),
        ("patch", f"/api/inspections/targets/{target.pk}/"),
    ):
        assert getattr(client, method)(url, {}, format="json").status_code == 404, url
    assert client.get("/api/inspections/tasks/").json()["results"] == []
    assert client.get("/api/inspections/targets/").json()["results"] == []


def test_targets_through_the_api(world):
    head, officer = api(world.users["market_head"]), api(world.users["market_officer"])
    data = {
        "agency": world.orgs["market"].pk,
        "name": "示范市小吃店",
        "kind": "individual_business",
        "credit_code": credit_code(5, "92"),
        "field": "SCJG",
        "region": "379900",
        "address": "示范市人民路5号",
    }
    missing = head.post("/api/inspections/targets/", data, format="json")
    assert missing.status_code == 400 and "operator_id_number" in missing.json()
    data["operator_id_number"] = "37990219800101001" + "X"
    bad = head.post("/api/inspections/targets/", data, format="json")
    assert bad.status_code == 400 and "GB 11643" in str(bad.json())
    from zhifa.core.rules import id_number_check_char

    data["operator_id_number"] = "37990219800101001" + id_number_check_char("37990219800101001")
    created = head.post("/api/inspections/targets/", data, format="json")
    assert created.status_code == 201, created.json()
    target_id = created.json()["id"]
    shown = officer.get(f"/api/inspections/targets/{target_id}/").json()
    assert "*" in shown["operator_id_number"]
    assert officer.post("/api/inspections/targets/", data, format="json").status_code == 403
    patched = head.patch(f"/api/inspections/targets/{target_id}/", {"is_active": False}, format="json")
    assert patched.status_code == 200 and not InspectionTarget.objects.get(pk=target_id).is_active
    assert head.delete(f"/api/inspections/targets/{target_id}/").status_code in (403, 405)
    assert InspectionTarget.objects.filter(pk=target_id).exists()  # entries are deactivated, never deleted


def test_schema_describes_the_inspection_api(world, client_for):
    schema = client_for(world.users["admin"]).get("/api/schema/").content.decode()
    for path in (
        "/api/inspections/tasks/",
        "/api/inspections/tasks/{id}/draw/",
        "/api/inspections/tasks/{id}/draw-preview/",
        "/api/inspections/tasks/{id}/recusals/",
        "/api/inspections/tasks/{id}/confirm/",
        "/api/inspections/tasks/{id}/results/",
        "/api/inspections/targets/",
    ):
        assert path in schema, path
