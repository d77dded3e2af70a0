"""Importing laws: idempotent, versioned, all-or-nothing; the upload page and the commands."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from zhifa.powers import services
from zhifa.powers.models import Article, Chapter, Law, LawVersion, Paragraph

pytestmark = pytest.mark.django_db

MINI = """# 中华人民共和国示范法

2020年1月1日 第十三届全国人民代表大会常务委员会第十五次会议通过

<!-- INFO END -->

## 第一章 总则

第一条 为了示范，制定本法。

第二条 违反本法规定的，处一万元以上五万元以下罚款：

（一）第一种情形；

（二）第二种情形。

情节严重的，责令停产停业。

## 第二章 附则

第三条 本法自2020年3月1日起施行。
"""


def counts():
    return [m.objects.count() for m in (Law, LawVersion, Chapter, Article, Paragraph)]


def test_import_stores_law_version_chapters_articles_and_paragraphs():
    result = services.import_law(MINI, filename="示范法(2020-01-01).md")
    assert result.created and result.article_count == 3
    law, version = result.law, result.version
    assert (law.title, law.short_title, law.level) == ("中华人民共和国示范法", "示范法", "law")
    assert law.issuing_body == "全国人民代表大会常务委员会"
    assert version.version_date == date(2020, 1, 1) and version.effective_date == date(2020, 3, 1)
    assert version.is_current
    second = version.articles.get(number=2)
    assert second.label == "第二条" and second.chapter.title == "第一章 总则"
    assert [(p.kuan, p.xiang) for p in second.paragraphs.all()] == [(1, None), (1, 1), (1, 2), (2, None)]


def test_reimport_of_the_same_version_changes_nothing():
    services.import_law(MINI, filename="示范法(2020-01-01).md")
    before = counts()
    again = services.import_law(MINI, filename="示范法(2020-01-01).md")
    assert not again.created and "未作改动" in again.message
    assert counts() == before


def test_same_version_date_with_different_text_is_refused_and_nothing_changes():
    services.import_law(MINI, filename="示范法(2020-01-01).md")
    before = counts()
    with pytest.raises(ValidationError) as caught:
        services.import_law(MINI.replace("第一种情形", "第一类情形"), filename="示范法(2020-01-01).md")
    assert "条文与本文件不同" in caught.value.messages[0]
    assert counts() == before


def test_new_version_date_adds_a_version_that_becomes_current_when_in_force():
    services.import_law(MINI, filename="示范法(2020-01-01).md")
    amended = MINI.replace(
        "<!-- INFO END -->",
        "2023年6月1日 第十四届全国人民代表大会常务委员会第三次会议修正\n\n<!-- INFO END -->",
    )
    amended = amended.replace("一万元以上五万元以下", "二万元以上十万元以下")
    result = services.import_law(amended)  # version date from the last history line
    assert result.created and result.version.version_date == date(2023, 6, 1)
    assert result.version.is_current
    law = result.law
    assert law.versions.count() == 2
    assert list(law.versions.filter(is_current=True)) == [result.version]
    assert services.find_article("示范法", 2).version == result.version
    assert "二万元" in services.find_article("示范法", 2).text


def test_future_version_is_not_current_until_it_takes_effect_chufa_art37():
    services.import_law(MINI, filename="示范法(2020-01-01).md")
    today = timezone.localdate()
    future = MINI.replace("2020年3月1日起施行", f"{today.year + 1}年1月1日起施行")
    result = services.import_law(future, filename=f"示范法({today:%Y-%m-%d}).md", today=today)
    assert result.created and not result.version.is_current
    assert services.refresh_current_version(result.law, date(today.year + 1, 1, 1)) == result.version
    result.version.refresh_from_db()
    assert result.version.is_current


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("中华人民共和国示范法\n第一条 甲。", "缺少标题行"),
        ("# 示范法\n<!-- INFO END -->\n## 第一章 总则\n", "未找到任何条文"),
        (MINI.replace("第三条 本法", "第四条 本法"), "条文编号不连续"),
    ],
)
def test_malformed_file_is_refused_with_nothing_saved(text, fragment):
    with pytest.raises(ValidationError) as caught:
        services.import_law(text, filename="示范法(2020-01-01).md")
    assert any(fragment in m for m in caught.value.messages)
    assert counts() == [0, 0, 0, 0, 0]


def test_missing_version_date_is_refused():
    text = MINI.replace("2020年1月1日 第十三届全国人民代表大会常务委员会第十五次会议通过", "")
    with pytest.raises(ValidationError, match="版本日期"):
        services.import_law(text)


def test_short_title_taken_by_another_law_is_refused():
    services.import_law(MINI, filename="示范法(2020-01-01).md")
    other = MINI.replace("中华人民共和国示范法", "示范法")
    with pytest.raises(ValidationError, match="简称“示范法”已被"):
        services.import_law(other, filename="示范法(2021-01-01).md")


def test_load_laws_command_loads_every_bundled_law_and_is_repeatable():
    call_command("load_laws", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Law.objects.count() == 21
    assert LawVersion.objects.filter(is_current=True).count() == 21
    articles = Article.objects.count()
    call_command("load_laws", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Article.objects.count() == articles
    assert services.find_article("行政处罚法", 9).text.startswith("行政处罚的种类")


def test_import_law_command(tmp_path):
    path = tmp_path / "示范法(2020-01-01).md"
    path.write_text(MINI, encoding="utf-8")
    call_command("import_law", str(path), stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert Law.objects.get().short_title == "示范法"
    bad = tmp_path / "坏.md"
    bad.write_text("没有标题", encoding="utf-8")
    with pytest.raises(CommandError, match="缺少标题行"):
        call_command("import_law", str(bad))


def upload(client, text, name="示范法(2020-01-01).md", **data):
    file = SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/markdown")
    return client.post(reverse("powers:law_upload"), {"file": file, **data})


def test_admin_uploads_a_law_file(world, client_for):
    response = upload(client_for(world.users["admin"]), MINI)
    version = LawVersion.objects.get()
    assert response.status_code == 302 and response["Location"] == version.get_absolute_url()


def test_upload_with_bad_format_shows_chinese_error_and_saves_nothing(world, client_for):
    response = upload(client_for(world.users["admin"]), MINI.replace("第二条 违反", "第五条 违反"))
    assert response.status_code == 200
    assert "条文编号不连续" in response.content.decode()
    assert counts() == [0, 0, 0, 0, 0]


def test_upload_refuses_other_file_types_and_encodings(world, client_for):
    client = client_for(world.users["admin"])
    assert "只接受.md或.txt" in upload(client, MINI, name="law.docx").content.decode()
    file = SimpleUploadedFile("示范法.md", MINI.encode("gbk"))
    response = client.post(reverse("powers:law_upload"), {"file": file})
    assert "UTF-8" in response.content.decode()


def test_only_administrators_may_upload(world, client_for):
    assert upload(client_for(world.users["market_head"]), MINI).status_code == 403
    assert Law.objects.count() == 0


def test_version_page_shows_toc_and_full_text(world, client_for, load_law):
    (result,) = load_law("行政处罚法")
    response = client_for(world.users["market_officer"]).get(result.version.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert "目录" in body and 'href="#c1"' in body and "第一章 总则" in body
    assert "第八十六条" in body and 'id="a86"' in body


def test_article_lookup_redirects_to_the_article(world, client_for, load_law):
    load_law("安全生产法")
    client = client_for(world.users["market_officer"])
    response = client.get(reverse("powers:article_lookup"), {"law": "安全生产法", "number": "一百零六"})
    assert response["Location"] == services.find_article("安全生产法", 106).get_absolute_url()
    missing = client.get(
        reverse("powers:article_lookup"), {"law": "安全生产法", "number": "999"}, follow=True
    )
    assert "没有找到该条文" in missing.content.decode()


def test_effective_date_of_version_is_not_before_version_date():
    result = services.import_law(MINI, filename="示范法(2020-01-01).md")
    assert result.version.effective_date - result.version.version_date >= timedelta(0)


def test_items_citing_a_superseded_version_are_counted_and_filterable(world, client_for):
    from zhifa.powers.models import PowerItem

    services.import_law(MINI, filename="示范法(2020-01-01).md")
    item = services.store_item(
        PowerItem(
            agency=world.orgs["market"],
            name="示范事项",
            category="penalty",
            basis_text="《示范法》第二条",
            penalty_kinds=["fine"],
        )
    )
    amended = MINI.replace("一万元以上五万元以下", "二万元以上十万元以下")
    result = services.import_law(amended, filename="示范法(2023-06-01).md")
    assert result.outdated_items == 1 and "仍引用旧版本条文" in result.message
    url = reverse("powers:poweritem_list")
    client = client_for(world.users["admin"])
    assert "示范事项" in client.get(url, {"outdated": "true"}).content.decode()
    services.store_item(item)  # saving again links the current text
    assert "示范事项" not in client.get(url, {"outdated": "true"}).content.decode()
