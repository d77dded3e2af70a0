"""Staff pages: create a task, preview and draw, confirm, 回避, the task page (result counts, query
count), the 名录 — and scope: another agency's ids are 404."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import Case
from zhifa.inspections import services
from zhifa.inspections.models import InspectionTarget, InspectionTask, Recusal

from .conftest import credit_code

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


@pytest.fixture
def east_task(world, item):
    from zhifa.powers.models import InspectionItem

    east_item = InspectionItem.objects.create(
        agency=world.orgs["east_market"],
        field_name="东城抽查",
        name="东城事项",
        target="食品经营者",
        method="现场检查",
    )
    return services.create_task(
        world.users["east_head"],
        InspectionTask(
            agency=world.orgs["east_market"],
            name="东城区抽查任务",
            field=world.fields["market"],
            region=world.regions["east"],
            period_start=TODAY,
            period_end=TODAY + timedelta(days=10),
            sample_count=1,
        ),
        [east_item],
    )


def test_head_creates_a_task_on_the_web(world, client_for, item):
    client = client_for(world.users["market_head"])
    form = html(client.get(reverse("inspections:task_create")))
    assert "食品经营者落实食品安全主体责任情况的检查" in form
    response = client.post(
        reverse("inspections:task_create"),
        {
            "agency": world.orgs["market"].pk,
            "name": "网页创建的任务",
            "items": [item.pk],
            "field": world.fields["market"].pk,
            "region": world.regions["city"].pk,
            "period_start": TODAY.isoformat(),
            "period_end": (TODAY + timedelta(days=20)).isoformat(),
            "officers_per_target": "1",
        },
    )
    page = html(response)
    assert "P1" in page and "第四十二条" in page and not InspectionTask.objects.exists()
    response = client.post(
        reverse("inspections:task_create"),
        {
            "agency": world.orgs["market"].pk,
            "name": "网页创建的任务",
            "items": [item.pk],
            "field": world.fields["market"].pk,
            "region": world.regions["city"].pk,
            "period_start": TODAY.isoformat(),
            "period_end": (TODAY + timedelta(days=20)).isoformat(),
            "officers_per_target": "2",
        },
    )
    task = InspectionTask.objects.get()
    assert response.status_code == 302 and response["Location"] == task.get_absolute_url()
    assert task.sample_ratio == 30 and task.created_by == world.users["market_head"]


def test_draw_preview_then_draw_then_confirm(world, client_for, make_targets, pool, make_task):
    make_targets(6)
    task = make_task()
    client = client_for(world.users["market_head"])
    preview = html(client.get(reverse("inspections:task_draw", args=[task.pk])))
    assert "候选检查对象" in preview and "6户" in preview and "3户" in preview and "4名" in preview
    response = client.post(reverse("inspections:task_draw", args=[task.pk]), {"reason": ""})
    assert response.status_code == 302
    page = html(client.get(task.get_absolute_url()))
    draw = services.current_draw(task)
    assert "抽取结果（待确认）" in page and draw.seed in page and "确认抽取结果并生成检查案件" in page
    assert page.count("确认后生成") == 3
    # A second draw without a reason is refused, with the reason on the form.
    again = html(client.post(reverse("inspections:task_draw", args=[task.pk]), {"reason": ""}))
    assert "重新抽取须说明理由" in again
    response = client.post(reverse("inspections:task_confirm", args=[task.pk]))
    assert response.status_code == 302
    page = html(client.get(task.get_absolute_url()))
    numbers = re.findall(r"示市监检〔\d{4}〕\d+号", page)
    assert len(set(numbers)) == 3 and "已确认" in page


def test_officer_sees_the_task_but_cannot_draw(world, client_for, make_targets, pool, make_task):
    task = make_task()
    client = client_for(world.users["market_officer"])
    page = html(client.get(task.get_absolute_url()))
    assert "随机抽取检查对象" not in page
    assert client.get(reverse("inspections:task_draw", args=[task.pk])).status_code == 403
    assert client.post(reverse("inspections:task_confirm", args=[task.pk])).status_code == 403


def test_recusal_page_redraws_the_target(world, client_for, make_targets, pool, make_task):
    make_targets(6)
    task = make_task()
    draw = services.draw_task(world.users["market_head"], task)
    assignment = draw.assignments.order_by("position").first()
    leaving = assignment.officer_ids[0]
    client = client_for(world.users["market_head"])
    url = reverse("inspections:recusal", args=[task.pk, assignment.pk])
    assert "第四十三条" in html(client.get(url))
    response = client.post(url, {"officer": leaving, "reason": "与经营者系近亲属"})
    assert response.status_code == 302
    recusal = Recusal.objects.get()
    assert recusal.officer_id == leaving and recusal.replacement_id
    page = html(client.get(task.get_absolute_url()))
    assert "回避记录" in page and "与经营者系近亲属" in page


def test_task_list_shows_progress(world, client_for, make_targets, pool, make_task):
    make_targets(6)
    task = make_task()
    services.draw_task(world.users["market_head"], task)
    services.confirm_task(world.users["market_head"], task)
    page = html(client_for(world.users["market_officer"]).get(reverse("inspections:task_list")))
    assert task.name in page and "抽中3户" in page


def test_foreign_ids_are_404(world, client_for, east_task, make_targets):
    (target,) = make_targets(1, agency=world.orgs["east_market"], region=world.regions["east"])
    client = client_for(world.users["market_head"])
    for url in (
        reverse("inspections:task_detail", args=[east_task.pk]),
        reverse("inspections:task_draw", args=[east_task.pk]),
        reverse("inspections:target_update", args=[target.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("inspections:task_confirm", args=[east_task.pk])).status_code == 404
    assert client.post(reverse("inspections:task_draw", args=[east_task.pk])).status_code == 404
    assert client.get(reverse("inspections:recusal", args=[east_task.pk, 1])).status_code == 404
    page = html(client.get(reverse("inspections:task_list")))
    assert "东城区抽查任务" not in page
    assert target.name not in html(client.get(reverse("inspections:target_list")))


def test_foreign_assignment_under_own_task_is_404(
    world, client_for, east_task, make_targets, pool, make_task
):
    make_targets(2, agency=world.orgs["east_market"], region=world.regions["east"], start=40)
    from zhifa.personnel.tests.factories import qualified_officer

    for name in ("东一", "东二"):
        qualified_officer(world, organization=world.orgs["east_market"], name=name)
    east_draw = services.draw_task(world.users["east_head"], east_task)
    own = make_task()
    url = reverse("inspections:recusal", args=[own.pk, east_draw.assignments.first().pk])
    assert client_for(world.users["market_head"]).get(url).status_code == 404


def test_target_directory_checks_the_credit_code(world, client_for):
    client = client_for(world.users["market_head"])
    data = {
        "agency": world.orgs["market"].pk,
        "name": "示范市新开食品店",
        "kind": "legal_person",
        "credit_code": credit_code(1)[:-1] + ("0" if credit_code(1)[-1] != "0" else "1"),
        "category": "食品经营者",
        "field": world.fields["market"].pk,
        "region": world.regions["city"].pk,
        "address": "示范市新华路1号",
        "is_active": "on",
    }
    page = html(client.post(reverse("inspections:target_create"), data))
    assert "GB 32100" in page and not InspectionTarget.objects.exists()
    data["credit_code"] = credit_code(1).lower()
    response = client.post(reverse("inspections:target_create"), data)
    assert response.status_code == 302
    assert InspectionTarget.objects.get().credit_code == credit_code(1)


def test_task_page_query_count_does_not_grow(
    world, client_for, make_targets, pool, make_task, django_assert_max_num_queries
):
    from zhifa.cases import engine

    make_targets(30)
    head = world.users["market_head"]
    client = client_for(head)

    def confirmed(n):
        task = make_task(sample_count=n, name=f"任务{n}")
        services.draw_task(head, task)
        services.confirm_task(head, task)
        first = services.task_assignments(task).first().case
        engine.perform(
            first.pk,
            "inspect",
            world.users["market_officer"],
            {
                "started_at": f"{TODAY.isoformat()}T09:00",
                "ended_at": f"{TODAY.isoformat()}T10:00",
                "place": "示范市",
                "recusal": "不申请回避",
                "content": "检查",
                "recorder": "张明",
                "certificates_shown": "on",
            },
            expected_version=first.version,
            request_key=f"k{n}",
        )
        first.refresh_from_db()
        engine.perform(
            first.pk,
            "record_result",
            world.users["market_officer"],
            {"result": "no_problem", "result_on": TODAY.isoformat()},
            expected_version=first.version,
            request_key=f"r{n}",
        )
        return task

    small, large = confirmed(2), confirmed(20)
    client.get(small.get_absolute_url())

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        html(client.get(small.get_absolute_url()))
    with django_assert_max_num_queries(len(few)):
        page = html(client.get(large.get_absolute_url()))
    assert "未发现问题" in page and page.count("示市监检〔") >= 20
    assert len(few) <= 16, [q["sql"][:80] for q in few.captured_queries]
    assert Case.objects.filter(procedure__code="inspection").count() == 22


def test_list_query_counts_do_not_grow(world, client_for, make_targets, pool, make_task):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(world.users["market_head"])

    def count(url):
        with CaptureQueriesContext(connection) as queries:
            html(client.get(url))
        return len(queries)

    make_targets(2)
    for n in range(2):
        services.draw_task(world.users["market_head"], make_task(name=f"任务{n}", sample_count=1))
    client.get(reverse("inspections:task_list"))
    tasks, targets = count(reverse("inspections:task_list")), count(reverse("inspections:target_list"))
    make_targets(20, start=100)
    for n in range(2, 14):
        services.draw_task(world.users["market_head"], make_task(name=f"任务{n}", sample_count=2))
    assert count(reverse("inspections:task_list")) == tasks
    assert count(reverse("inspections:target_list")) == targets


def test_directory_and_task_lists_filter_by_the_search_boxes(
    world, client_for, make_targets, pool, make_task
):
    """The 名录 search finds a target by name, credit code or address, and narrows by 类别; the task
    list searches task names."""
    from zhifa.inspections.models import InspectionTarget

    targets = make_targets(3)
    InspectionTarget.objects.filter(pk=targets[2].pk).update(
        category="药品零售企业", address="示范市药香路9号"
    )
    client = client_for(world.users["market_head"])
    url = reverse("inspections:target_list")

    def listed(**query):
        page = html(client.get(url, query))
        return {t.name for t in targets if t.name in page}

    assert listed(q="第1号") == {targets[0].name}
    assert listed(q=targets[1].credit_code.lower()) == {targets[1].name}
    assert listed(q="药香路") == {targets[2].name}
    assert listed(category="药品") == {targets[2].name}
    make_task(name="药品零售企业专项抽查")
    make_task(name="食品经营者双随机抽查")
    tasks = html(client.get(reverse("inspections:task_list"), {"q": "药品"}))
    assert "药品零售企业专项抽查" in tasks and "食品经营者双随机抽查" not in tasks
