"""法制审核 staff pages: workbench, round page with the L3 checklist, submission from the case,
目录清单, 备案 on both sides, statistics; and the reviewer's opinion in a phone-sized browser."""

import re

import pytest
from django.urls import reverse

from zhifa.review import rules, services
from zhifa.review.models import CatalogueEntry, Filing, ReviewRound
from zhifa.review.tests.helpers import act, agree, decision

pytestmark = pytest.mark.django_db


def opinion_post(result="pass", opinion="agree", text="同意承办机构意见。"):
    data = {"do": "opinion", "opinion": opinion, "text": text}
    for code, _ in rules.CHECKLIST:
        data[f"item_{code}"] = result
        data[f"comment_{code}"] = ""
    return data


def test_case_page_links_to_review_and_submission_page_creates_a_round(world, client_for, heard_case):
    client = client_for(world.users["market_officer"])
    page = client.get(heard_case.get_absolute_url()).content.decode()
    assert "作出决定前应当法制审核" in page and reverse("review:case_review", args=[heard_case.pk]) in page
    url = reverse("review:case_review", args=[heard_case.pk])
    form = client.get(url).content.decode()
    key = re.search(r'name="request_key" value="([0-9a-f]+)"', form).group(1)
    empty = client.post(url, {"outcome": "处罚", "review_report": "", "request_key": key})
    assert empty.status_code == 200 and not ReviewRound.objects.exists()
    body = {"outcome": "处罚", "review_report": "拟罚款十五万元。", "request_key": key}
    response = client.post(url, body)
    assert response.status_code == 302 and ReviewRound.objects.count() == 1
    assert client.post(url, body).status_code == 302 and ReviewRound.objects.count() == 1  # double click


def test_workbench_claim_and_opinion_through_the_pages(world, client_for, heard_case, reviewer):
    round_, _ = services.submit(
        heard_case, world.users["market_officer"], outcome="处罚", review_report="拟罚款。", request_key="k"
    )
    client = client_for(reviewer)
    workbench = client.get(reverse("review:workbench")).content.decode()
    assert "待分配" in workbench and round_.get_absolute_url() in workbench
    client.post(round_.get_absolute_url(), {"do": "claim"})
    page = client.get(round_.get_absolute_url()).content.decode()
    assert "出具审核意见" in page and "裁量基准运用是否适当" in page
    wrong = client.post(round_.get_absolute_url(), opinion_post(result="problem"))
    assert wrong.status_code == 200 and "请写明问题和理由" in wrong.content.decode()
    assert client.post(round_.get_absolute_url(), opinion_post()).status_code == 302
    round_.refresh_from_db()
    assert round_.passed and round_.document is not None
    done = client.get(round_.get_absolute_url()).content.decode()
    assert "法制审核意见书" in done and "出具审核意见</button>" not in done


def test_officer_cannot_record_an_opinion_through_the_page(world, client_for, heard_case, reviewer):
    round_, _ = services.submit(
        heard_case, world.users["market_officer"], outcome="处罚", review_report="拟罚款。", request_key="k"
    )
    services.assign(round_, reviewer, reviewer)
    response = client_for(world.users["market_officer"]).post(
        round_.get_absolute_url(), opinion_post(), follow=True
    )
    assert "只有被指派的法制审核人员" in response.content.decode()
    round_.refresh_from_db()
    assert round_.opinion == ""


def test_catalogue_pages_for_heads(world, client_for):
    client = client_for(world.users["market_head"])
    response = client.post(
        reverse("review:catalogue_create"),
        {
            "agency": world.orgs["market"].pk,
            "title": "对法人处十万元以上罚款",
            "category": "penalty",
            "min_fine_organisation": "100000",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    listing = client.get(reverse("review:catalogue_list")).content.decode()
    assert "对法人或者其他组织罚款100,000.00元以上" in listing
    assert (
        client_for(world.users["market_officer"]).get(reverse("review:catalogue_create")).status_code == 403
    )
    assert CatalogueEntry.objects.count() == 1


def test_filing_inbox_of_the_legal_office_and_statistics(world, client_for, heard_case, reviewer):
    round_, _ = services.submit(
        heard_case, world.users["market_officer"], outcome="处罚", review_report="拟罚款。", request_key="k"
    )
    services.assign(round_, reviewer, reviewer)
    services.record_opinion(round_, reviewer, agree())
    act(heard_case, "decide_penalty", world.users["market_head"], **decision(150000))
    filing = Filing.objects.get(case=heard_case)
    officer = client_for(world.users["market_officer"])
    officer.post(filing.get_absolute_url(), {"do": "submit", "report": "经听证、法制审核作出决定。"})
    supervisor = client_for(world.users["city_supervisor"])
    inbox = supervisor.get(reverse("review:filing_list")).content.decode()
    assert "收到的备案" in inbox and filing.get_absolute_url() in inbox
    supervisor.post(filing.get_absolute_url(), {"do": "handle", "accept": "1", "opinion": ""})
    filing.refresh_from_db()
    assert filing.status == "accepted"
    stats = supervisor.get(reverse("review:statistics")).content.decode()
    assert "首轮通过率" in stats and "100.0%" in stats and "法制审核人员配备" in stats


def test_published_catalogue_on_the_portal_g1(world, client):
    market = world.orgs["market"]
    CatalogueEntry.objects.create(
        agency=market, title="吊销许可证件", penalty_kinds=["revoke_license"], is_published=True
    )
    CatalogueEntry.objects.create(agency=market, title="内部试行事项", is_published=False)
    page = client.get(f"/agencies/{market.pk}/legal-review/").content.decode()
    assert "吊销许可证件" in page and "处罚种类为吊销许可证件" in page and "内部试行事项" not in page
    assert "第五十八条" in page


def test_home_page_lists_queue_and_filings_to_examine(world, client_for, heard_case, reviewer):
    round_, _ = services.submit(
        heard_case, world.users["market_officer"], outcome="处罚", review_report="拟罚款。", request_key="k"
    )
    services.assign(round_, reviewer, reviewer)
    assert "待您审核1件" in client_for(reviewer).get("/staff/").content.decode()
    services.record_opinion(round_, reviewer, agree())
    act(heard_case, "decide_penalty", world.users["market_head"], **decision(150000))
    services.submit_filing(Filing.objects.get(case=heard_case), world.users["market_officer"], "报送")
    home = client_for(world.users["city_supervisor"]).get("/staff/").content.decode()
    assert "收到待审查的重大执法决定备案1件" in home
