"""年度行政执法数据 (G6, G11): counting rules, derivation from case events, the staff pages
(scope, freezing on publication, the PDF) and the portal (published reports only)."""

from __future__ import annotations

import re
import shutil
import subprocess
import uuid
from datetime import date, datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from zhifa.cases.models import Case, CaseEvent, ProcedureVersion
from zhifa.cases.tests.conftest import make_case, officers  # noqa: F401 - fixtures
from zhifa.publicity import annual, annual_services, rules
from zhifa.publicity.models import AnnualReport, ReportStatus
from zhifa.workdays.rules import Calendar

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year - 1  # a year that has ended: its report may be published


# --- Pure rules --------------------------------------------------------------------------------
def test_g11_fine_with_revocation_counts_once_as_revocation():
    columns = rules.tally_penalties([(["fine", "revoke_license"], 1)])
    assert columns[rules.REVOCATION] == 1 and columns["罚款"] == 0
    assert sum(columns.values()) == 1


def test_g11_other_yields_to_any_named_kind():
    assert rules.count_column(["other", "warning"]) == rules.WARNING
    columns = rules.tally_penalties([(["other"], 2), (["warning", "other"], 1)])
    assert columns["其他"] == 2 and columns[rules.WARNING] == 1


def test_g11_detention_is_heaviest_and_unknown_kinds_count_as_other():
    assert rules.count_column(["revoke_license", "detention", "fine"]) == "行政拘留"
    columns = rules.tally_penalties([([], 1), (["no_such_kind"], 1), (None, 1)])
    assert columns["其他"] == 3 and list(columns) == list(rules.COUNT_COLUMNS)


def test_g11_zero_where_power_exists_and_no_duty_where_it_does_not():
    assert rules.act_cell(True, 0) == 0
    assert rules.act_cell(False, 0) == rules.NO_DUTY == "无相关职责"
    assert rules.act_cell(False, 3) == 3  # what was done is counted even if the 清单 lacks it


def test_g11_wan_yuan_rounds_half_to_even_as_gb_t_8170():
    assert rules.wan_yuan(Decimal("12345.50")) == Decimal("1.2346")
    assert rules.wan_yuan(Decimal("12344.50")) == Decimal("1.2344")
    assert rules.wan_yuan(Decimal("12344.51")) == Decimal("1.2345")
    assert rules.wan_yuan(None) == Decimal("0.0000")


def test_g6_due_on_31_january_of_next_year():
    assert rules.annual_report_due(2025) == date(2026, 1, 31)


def test_g6_state_from_year_end_to_overdue():
    cal = Calendar()  # Monday to Friday, no holidays
    state = rules.annual_report_state
    assert state(2025, date(2025, 12, 31), None, cal).code == "year_open"
    assert state(2025, date(2026, 1, 2), None, cal).level == "green"
    # 2026-01-31 is a Saturday: after Thursday 15 January eleven working days remain, after
    # Friday 16 January ten (S7 counts the days after today)
    assert state(2025, date(2026, 1, 15), None, cal).level == "green"
    assert state(2025, date(2026, 1, 16), None, cal).level == "yellow"
    assert state(2025, date(2026, 1, 31), None, cal).level == "yellow"
    assert state(2025, date(2026, 2, 1), None, cal).level == "red"
    assert state(2025, date(2026, 2, 1), date(2026, 1, 31), cal).code == "published"
    assert state(2025, date(2026, 3, 1), date(2026, 2, 1), cal).code == "published_late"


def test_counted_actions_exist_in_the_procedure_definitions():
    """A renamed engine action must not silently drop out of the G11 count."""
    from zhifa.cases.definitions import bundled

    handlers = {}
    for raw, _digest in bundled():
        for action in raw.get("actions", []):
            handlers.setdefault(action["code"], set()).add(action.get("handler"))
    for code, handler in annual.COUNTED_ACTIONS.items():
        assert handler in handlers[code], code


# --- Derived from case events --------------------------------------------------------------------
def _procedure(code):
    return ProcedureVersion.objects.filter(code=code).order_by("-version").first()


def record(world, action, data, *, procedure="penalty_general", agency=None, case=None, occurred_at=None):
    """A case with one recorded action, as the engine would have left it (bulk-style, no guards)."""
    agency = agency or world.orgs["market"]
    user = world.users["market_head"]
    if case is None:
        case = Case.objects.create(
            agency=agency,
            procedure=_procedure(procedure),
            year=YEAR,
            source="inspection",
            field=world.fields["market"],
            region=agency.region,
            cause="测试案由",
            discovered_on=date(YEAR, 1, 5),
            stage="decided",
            created_by=user,
        )
    case.last_sequence += 1
    case.save(update_fields=["last_sequence"])
    event = CaseEvent.objects.create(
        case=case,
        sequence=case.last_sequence,
        action=action,
        action_name=action,
        stage_before="",
        stage_after="",
        actor=user,
        data=data,
        request_key=uuid.uuid4().hex,
        case_version=case.last_sequence,
    )
    if occurred_at is not None:
        CaseEvent.objects.filter(pk=event.pk).update(occurred_at=occurred_at)
    return case


def penalty(world, kinds, fine=None, confiscation=None, on=None, action="decide_penalty", **kw):
    data = {
        "decided_on": (on or date(YEAR, 6, 1)).isoformat(),
        "penalty_kinds": kinds,
        "fine": fine,
        "confiscation": confiscation,
    }
    return record(world, action, data, **kw)


def power(world, category, name="某事项", agency=None):
    from zhifa.powers.models import PowerItem

    return PowerItem.objects.create(
        agency=agency or world.orgs["market"], category=category, name=name, basis_text="《某法》第一条"
    )


def test_g11_penalties_counted_once_under_heaviest_with_amounts(world):
    penalty(world, ["fine", "revoke_license"], fine="5000.00")
    penalty(world, ["revoke_license", "fine"], fine="1000.00")  # same set, other order
    penalty(world, ["warning"])
    penalty(world, ["fine", "confiscate_income"], fine="200.00", confiscation="1234.50")
    penalty(world, ["fine"], fine="100.00", action="decide_on_spot", procedure="penalty_summary")
    record(world, "decide_no_penalty", {"decided_on": f"{YEAR}-03-01", "ground": "minor"})
    stats = annual.penalty_statistics(world.orgs["market"].pk, YEAR)
    columns = {c["label"]: c["count"] for c in stats["columns"]}
    assert columns[rules.REVOCATION] == 2
    assert columns[rules.WARNING] == 1 and columns[rules.CONFISCATION] == 1 and columns["罚款"] == 1
    assert stats["total"] == 5 and stats["summary"] == 1 and stats["general"] == 4
    assert stats["fine_yuan"] == "6300.00" and stats["fine_wan"] == "0.6300"
    assert stats["confiscation_wan"] == "0.1234"  # 1234.50 yuan: half to even (GB/T 8170)
    assert stats["no_penalty"] == 1


def test_g11_amounts_are_summed_before_rounding_to_wan_yuan(world):
    for _ in range(2):
        penalty(world, ["fine"], fine="15000.40")  # 1.50004 万元 each
    stats = annual.penalty_statistics(world.orgs["market"].pk, YEAR)
    assert stats["fine_wan"] == "3.0001"  # rounding each first would give 3.0000


def test_g11_revoked_decision_still_counted(world):
    case = penalty(world, ["fine"], fine="800.00")
    # the decision is later revoked: a new event, the case moves on; the decision event stays
    record(world, "revoke_decision", {"revoked_on": f"{YEAR}-09-01"}, case=case)
    Case.objects.filter(pk=case.pk).update(outcome="已撤销", details={})
    stats = annual.penalty_statistics(world.orgs["market"].pk, YEAR)
    assert stats["total"] == 1 and stats["fine_yuan"] == "800.00"


def test_g11_calendar_year_by_decision_date_not_recording_time(world):
    late = timezone.make_aware(datetime(YEAR + 1, 1, 3, 9))
    penalty(world, ["warning"], on=date(YEAR, 12, 31), occurred_at=late)  # recorded in January
    penalty(world, ["warning"], on=date(YEAR + 1, 1, 1))
    penalty(world, ["warning"], on=date(YEAR - 1, 12, 31))
    assert annual.penalty_statistics(world.orgs["market"].pk, YEAR)["total"] == 1
    assert annual.penalty_statistics(world.orgs["market"].pk, YEAR + 1)["total"] == 1


def test_g11_other_agencies_cases_are_not_counted(world):
    penalty(world, ["warning"], agency=world.orgs["east_market"])
    assert annual.penalty_statistics(world.orgs["market"].pk, YEAR)["total"] == 0


def test_g11_zero_versus_no_duty_in_the_report(world):
    power(world, "penalty")
    power(world, "levy", name="征收某费")
    stats = annual.compute_statistics(world.orgs["market"], YEAR)
    values = {act["code"]: act["value"] for act in stats["acts"]}
    assert values["penalty"] == 0 and values["levy"] == 0
    assert values["licensing"] == values["coercion"] == values["requisition"] == rules.NO_DUTY
    assert values["inspection"] == rules.NO_DUTY
    power(world, "other", name="紧急情况下征用房屋")
    values = {a["code"]: a["value"] for a in annual.compute_statistics(world.orgs["market"], YEAR)["acts"]}
    assert values["requisition"] == 0


def test_licensing_coercion_inspection_and_appeals_are_counted(world):
    start = timezone.make_aware(datetime(YEAR, 4, 1, 10))
    lic = record(world, "accept", {}, procedure="licensing", occurred_at=start)
    record(world, "grant", {"decided_on": f"{YEAR}-04-20", "content": "准予"}, case=lic)
    record(
        world, "refuse_acceptance", {"reason": "不属于本机关职权"}, procedure="licensing", occurred_at=start
    )
    record(world, "deny", {"decided_on": f"{YEAR}-05-20", "content": "不予"}, procedure="licensing")
    record(
        world,
        "execute_measure",
        {"measure": "seal", "executed_on": f"{YEAR}-02-01"},
        procedure="coercive_seizure",
    )
    record(
        world,
        "execute_in_emergency",
        {"measure": "detain", "executed_on": f"{YEAR}-02-02"},
        procedure="coercive_seizure",
    )
    record(
        world, "record_result", {"result": "no_problem", "result_on": f"{YEAR}-03-01"}, procedure="inspection"
    )
    record(
        world,
        "record_result",
        {"result": "ordered_correction", "result_on": f"{YEAR}-03-02"},
        procedure="inspection",
    )
    appealed = penalty(world, ["fine"], fine="100.00")
    opened = {
        "kind": "reconsideration",
        "started_on": f"{YEAR}-07-01",
        "ended_on": None,
        "organ": "示范市人民政府",
    }
    record(world, "record_appeal", opened, case=appealed)
    record(world, "record_appeal", {**opened, "ended_on": f"{YEAR}-09-01"}, case=appealed)  # same proceeding
    record(
        world, "record_appeal", {**opened, "kind": "litigation", "started_on": f"{YEAR}-10-01"}, case=appealed
    )
    agency = world.orgs["market"].pk
    licensing = annual.licensing_statistics(agency, YEAR)
    assert licensing == {
        "total": 2,
        "applications": 3,
        "accepted": 1,
        "not_accepted": 1,
        "granted": 1,
        "denied": 1,
    }
    coercion = annual.coercion_statistics(agency, YEAR)
    assert coercion["total"] == 2 and coercion["emergency"] == 1
    assert [m["count"] for m in coercion["measures"]] == [1, 1]
    inspection = annual.inspection_statistics(agency, YEAR)
    results = {r["label"]: r["count"] for r in inspection["results"]}
    assert inspection["total"] == 2 and results["未发现问题"] == 1 and results["发现问题，责令限期改正"] == 1
    assert annual.appeal_statistics(agency, YEAR) == {"reconsideration": 1, "litigation": 1}


def test_g11_decision_made_through_the_engine_is_counted(world, make_case):  # noqa: F811
    from zhifa.cases.tests.test_engine import decide

    today = timezone.localdate()
    decide(make_case(), world.users["market_officer"], fine="200", decided_on=today.isoformat())
    stats = annual.penalty_statistics(world.orgs["market"].pk, today.year)
    assert stats["total"] == 1 and stats["summary"] == 1 and stats["fine_yuan"] == "200.00"


def test_g6_recipients_are_government_and_superior_department(world):
    government, superior = annual.recipients(world.orgs["east_market"])
    assert government["name"] == "东城区人民政府" and superior["name"] == "示范市市场监督管理局"
    government, superior = annual.recipients(world.orgs["market"])
    assert government["name"] == "示范市人民政府" and superior is None


def test_statistics_queries_do_not_grow_with_cases(world):
    for _ in range(3):
        penalty(world, ["fine"], fine="10.00")
    annual.compute_statistics(world.orgs["market"], YEAR)  # warm: the agency's region is cached
    with CaptureQueriesContext(connection) as few:
        annual.compute_statistics(world.orgs["market"], YEAR)
    for _ in range(20):
        penalty(world, ["warning"])
    with CaptureQueriesContext(connection) as many:
        annual.compute_statistics(world.orgs["market"], YEAR)
    assert len(many) == len(few)


# --- Staff pages ----------------------------------------------------------------------------------
@pytest.fixture
def fake_pdf(monkeypatch):
    from zhifa.publicity import annual_pdf

    monkeypatch.setattr(annual_pdf, "render_pdf", lambda *a, **k: b"%PDF-1.4 test")


def test_head_computes_previews_and_publishes_g6(world, client_for, fake_pdf):
    power(world, "penalty")
    penalty(world, ["fine", "revoke_license"], fine="5000.00")
    client = client_for(world.users["market_head"])
    page = client.get(reverse("publicity:annual_list"), {"year": YEAR}).content.decode()
    assert "示范市市场监督管理局" in page and "逾期未公开" in page
    response = client.post(
        reverse("publicity:annual_compute"), {"agency": world.orgs["market"].pk, "year": YEAR}
    )
    report = AnnualReport.objects.get(agency=world.orgs["market"], year=YEAR)
    assert response.url == reverse("publicity:annual_detail", args=[report.pk])
    page = client.get(response.url).content.decode()
    assert "吊销许可证件、限制从业" in page and "<svg" in page and "无相关职责" in page
    client.post(
        reverse("publicity:annual_narrative", args=[report.pk]), {"narrative": "本年度执法总体平稳。"}
    )
    client.post(reverse("publicity:annual_publish", args=[report.pk]))
    report.refresh_from_db()
    assert report.status == ReportStatus.PUBLISHED and report.narrative == "本年度执法总体平稳。"
    assert report.pdf_sha256 and report.published_by == world.users["market_head"]
    assert [r["name"] for r in report.submitted_to] == ["示范市人民政府"]
    from zhifa.ledger.models import LedgerLeaf

    assert LedgerLeaf.objects.filter(kind="annual_report", object_id=str(report.pk)).exists()


def test_published_report_is_frozen_g6(world, client_for, fake_pdf):
    report = annual_services.compute_report(world.orgs["market"], YEAR)
    annual_services.publish_report(world.users["market_head"], report.pk)
    frozen = AnnualReport.objects.get(pk=report.pk).statistics
    penalty(world, ["warning"])  # a late entry does not change what was published
    with pytest.raises(ValidationError, match="G6"):
        annual_services.compute_report(world.orgs["market"], YEAR)
    with pytest.raises(ValidationError, match="不得修改"):
        annual_services.save_narrative(world.users["market_head"], report.pk, "改")
    client = client_for(world.users["market_head"])
    response = client.post(
        reverse("publicity:annual_compute"), {"agency": world.orgs["market"].pk, "year": YEAR}, follow=True
    )
    assert "不得修改" in response.content.decode()
    assert AnnualReport.objects.get(pk=report.pk).statistics == frozen


def test_report_of_a_running_year_cannot_be_published_g6(world, fake_pdf):
    report = annual_services.compute_report(world.orgs["market"], timezone.localdate().year)
    with pytest.raises(ValidationError, match="尚未结束"):
        annual_services.publish_report(world.users["market_head"], report.pk)


def test_only_the_agency_head_publishes(world, fake_pdf):
    from django.core.exceptions import PermissionDenied

    report = annual_services.compute_report(world.orgs["market"], YEAR)
    with pytest.raises(PermissionDenied):
        annual_services.publish_report(world.users["admin"], report.pk)


def test_out_of_scope_report_is_404(world, client_for):
    report = annual_services.compute_report(world.orgs["market"], YEAR)
    client = client_for(world.users["east_head"])
    assert client.get(reverse("publicity:annual_detail", args=[report.pk])).status_code == 404
    assert client.post(reverse("publicity:annual_publish", args=[report.pk])).status_code == 404
    assert client.post(reverse("publicity:annual_narrative", args=[report.pk])).status_code == 404
    compute = client.post(
        reverse("publicity:annual_compute"), {"agency": world.orgs["market"].pk, "year": YEAR}
    )
    assert compute.status_code == 404
    page = client.get(reverse("publicity:annual_list"), {"year": YEAR}).content.decode()
    assert "东城区市场监督管理局" in page and "示范市市场监督管理局" not in page


def test_supervisor_sees_the_region_but_cannot_compute(world, client_for):
    client = client_for(world.users["city_supervisor"])
    page = client.get(reverse("publicity:annual_list"), {"year": YEAR}).content.decode()
    assert "东城区市场监督管理局" in page and "示范市市场监督管理局" in page and "统计生成" not in page
    response = client.post(
        reverse("publicity:annual_compute"), {"agency": world.orgs["market"].pk, "year": YEAR}, follow=True
    )
    assert "无权" in response.content.decode()
    assert not AnnualReport.objects.exists()


def test_officer_without_permission_is_refused(world, client_for):
    assert client_for(world.users["market_officer"]).get(reverse("publicity:annual_list")).status_code == 403


@pytest.mark.parametrize("year", ["abc", "1999", "99999", str(timezone.localdate().year + 1)])
def test_bad_year_is_a_friendly_message(world, client_for, year):
    client = client_for(world.users["market_head"])
    page = client.get(reverse("publicity:annual_list"), {"year": year})
    assert page.status_code == 200 and "年度" in page.content.decode()
    response = client.post(
        reverse("publicity:annual_compute"), {"agency": world.orgs["market"].pk, "year": year}, follow=True
    )
    assert response.status_code == 200 and not AnnualReport.objects.exists()


def test_list_has_no_n_plus_one(world, client_for, django_assert_max_num_queries):
    from zhifa.organizations.models import Organization, OrgKind, SubjectKind

    for i in range(15):
        Organization.objects.add_child(
            world.orgs["gov"],
            instance=Organization(
                kind=OrgKind.AGENCY,
                name=f"测试局{i}",
                region=world.regions["city"],
                subject_kind=SubjectKind.ADMINISTRATIVE_ORGAN,
            ),
        )
    client = client_for(world.users["admin"])
    client.get(reverse("publicity:annual_list"))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("publicity:annual_list")).status_code == 200


def test_dashboard_panel_warns_in_january_and_after(world, monkeypatch, fake_pdf):
    from zhifa.publicity import annual_services as services

    published = services.compute_report(world.orgs["east_market"], YEAR)
    services.publish_report(world.users["east_head"], published.pk)

    monkeypatch.setattr(services.timezone, "localdate", lambda: date(YEAR + 1, 1, 28))
    panel = services.dashboard_panel(world.users["market_head"])
    assert panel["items"] and panel["items"][0]["level"] == "warn" and "G6" in panel["items"][0]["text"]
    monkeypatch.setattr(services.timezone, "localdate", lambda: date(YEAR + 1, 2, 2))
    panel = services.dashboard_panel(world.users["city_supervisor"])
    assert {i["level"] for i in panel["items"]} == {"bad"} and "逾期" in panel["items"][0]["text"]
    assert not any("东城区市场监督管理局" in i["text"] for i in panel["items"])  # published: nothing to warn
    assert services.dashboard_panel(world.users["east_head"])["items"] == []
    assert services.dashboard_panel(world.users["market_officer"]) is None


def test_management_command_computes_drafts(world):
    call_command("compute_annual_reports", year=YEAR)
    from zhifa.organizations.models import Organization

    assert AnnualReport.objects.filter(year=YEAR).count() == Organization.objects.agencies().count()
    assert not AnnualReport.objects.exclude(status=ReportStatus.DRAFT).exists()


def test_ledger_leaf_rebuilds_from_the_report(world, fake_pdf):
    from zhifa.ledger.verify import verify_ledger

    report = annual_services.compute_report(world.orgs["east_market"], YEAR)
    report = annual_services.publish_report(world.users["east_head"], report.pk)
    assert [r["role"] for r in report.submitted_to] == ["本级人民政府", "上级主管部门"]
    problems = [p for p in verify_ledger(check_files=True) if "annual" in str(p) or "年度" in str(p)]
    assert problems == []


# --- PDF ------------------------------------------------------------------------------------------
@pytest.mark.skipif(not shutil.which("soffice") or not shutil.which("pdftotext"), reason="needs LibreOffice")
def test_pdf_text_is_readable_chinese(world):
    power(world, "penalty")
    penalty(world, ["fine", "revoke_license"], fine="12345.00")
    report = annual_services.compute_report(world.orgs["market"], YEAR)
    annual_services.save_narrative(world.users["market_head"], report.pk, "本年度共办理案件若干。")
    report = annual_services.publish_report(world.users["market_head"], report.pk)
    with report.pdf.open("rb") as handle:
        pdf = handle.read()
    import hashlib

    assert pdf.startswith(b"%PDF-") and hashlib.sha256(pdf).hexdigest() == report.pdf_sha256
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    flat = "".join(text.split())
    assert f"示范市市场监督管理局{YEAR}年度行政执法数据" in flat
    for expected in (
        "吊销许可证件、限制从业",
        "无相关职责",
        "1.2345",
        "本年度共办理案件若干",
        "示范市人民政府",
    ):
        assert expected in flat, expected


# --- Portal ---------------------------------------------------------------------------------------
def test_portal_shows_only_published_reports(world, client, fake_pdf):
    draft = annual_services.compute_report(world.orgs["market"], YEAR - 1)
    published = annual_services.compute_report(world.orgs["market"], YEAR)
    annual_services.publish_report(world.users["market_head"], published.pk)
    market = world.orgs["market"].pk
    page = client.get(reverse("portal:annual_reports", args=[market])).content.decode()
    assert f"{YEAR}年度" in page and f"{draft.year}年度" not in page
    assert client.get(reverse("portal:annual_report_detail", args=[market, draft.year])).status_code == 404
    assert client.get(reverse("portal:annual_report_pdf", args=[market, draft.year])).status_code == 404
    response = client.get(reverse("portal:annual_report_pdf", args=[market, YEAR]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert (
        client.get(reverse("portal:agency_detail", args=[market])).content.decode().count("年度行政执法数据")
    )


def test_portal_detail_reads_the_frozen_statistics_not_case_tables(world, client, fake_pdf):
    penalty(world, ["warning"])
    report = annual_services.compute_report(world.orgs["market"], YEAR)
    annual_services.publish_report(world.users["market_head"], report.pk)
    penalty(world, ["warning"])  # after publication: not on the portal
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("portal:annual_report_detail", args=[world.orgs["market"].pk, YEAR]))
    assert page.status_code == 200
    assert not any("cases_" in q["sql"] for q in queries.captured_queries)
    text = page.content.decode()
    assert re.search(r"行政处罚决定（件）</th><td[^>]*>1</td>", text)
