"""xlsx import: headers, row-by-row Chinese report, all-or-nothing unless “仅导入无误的行”."""

from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from zhifa.personnel import importing, services
from zhifa.personnel.models import Certificate, Officer

from .factories import make_certificate, make_id_number, make_officer

pytestmark = pytest.mark.django_db


def xlsx(rows, headers=None) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers or importing.HEADERS)
    for row in rows:
        sheet.append([row.get(h, "") for h in (headers or importing.HEADERS)])
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("officers.xlsx", buffer.getvalue())


def person(name="李娜", gender="女", **extra):
    row = {
        "姓名": name,
        "性别": gender,
        "身份证号": make_id_number("female" if gender == "女" else "male"),
        "所在单位": "示范市市场监督管理局/执法稽查支队",
        "职务": "科员",
        "用工性质": "在编公务员",
        "联系电话": "13800138000",
    }
    row.update(extra)
    return row


def with_certificate(row, number, **extra):
    row.update(
        {
            "证件编号": number,
            "执法类别": "市场监管",
            "执法区域": "示范市",
            "发证机关": "示范市司法局",
            "发证日期": "2025-03-01",
            "有效期至": "2030-02-28",
        }
    )
    row.update(extra)
    return row


def run(world, upload, only_valid=False, user="city_supervisor"):
    return services.import_officers(world.users[user], upload, only_valid=only_valid)


def test_good_file_imports_officers_and_certificates(world):
    rows = [with_certificate(person(), "37990020250101"), person("王强", "男", 用工性质="合同制")]
    report = run(world, xlsx(rows))
    assert report.ok and report.imported == 2
    certificate = Certificate.objects.get(number="37990020250101")
    assert (
        certificate.officer.name == "李娜" and certificate.officer.organization == world.orgs["market_team"]
    )
    assert [r.code for r in certificate.regions.all()] == ["379900"]
    assert not Officer.objects.get(name="王强").certificates.exists()


def test_wrong_headers_are_listed_and_nothing_imported(world):
    headers = [h for h in importing.HEADERS if h != "身份证号"] + ["身份证"]
    report = run(world, xlsx([{"姓名": "李娜"}], headers=headers))
    assert "缺少必需的列：身份证号" in report.file_error and "无法识别的列：身份证" in report.file_error
    assert not Officer.objects.exists()


def test_bad_rows_are_reported_by_row_and_column_and_nothing_imported(world):
    make_certificate(
        make_officer(world.orgs["market"]),
        world.orgs["justice"],
        [world.fields["market"]],
        [world.regions["city"]],
        number="37990020250999",
    )
    rows = [
        with_certificate(person(), "37990020250101"),  # row 2: fine
        person("错号", 身份证号="110105194912310021"),  # row 3: checksum
        with_certificate(person("重号"), "37990020250101"),  # row 4: duplicate inside the file
        with_certificate(person("旧号"), "37990020250999"),  # row 5: duplicate of the database
        person("无单位", 所在单位="不存在的局"),  # row 6
        with_certificate(
            person("倒序"), "37990020250102", 发证日期="2025-03-01", 有效期至="2024-01-01"
        ),  # row 7
        with_certificate(person("合同工", 用工性质="合同制"), "37990020250103"),  # row 8: S13
        with_certificate(person("坏日期"), "37990020250104", 发证日期="去年"),  # row 9
        with_certificate(person("坏类别"), "37990020250105", 执法类别="天文"),  # row 10
    ]
    report = run(world, xlsx(rows))
    found = {(e.row, e.column) for e in report.errors}
    assert {(3, "身份证号"), (4, "证件编号"), (5, "证件编号"), (6, "所在单位"), (7, "有效期至")} <= found
    assert {(8, "用工性质"), (9, "发证日期"), (10, "执法类别")} <= found
    assert 2 not in report.error_rows
    messages = {(e.row, e.column): e.message for e in report.errors}
    assert "校验码" in messages[(3, "身份证号")]
    assert "第2行" in messages[(4, "证件编号")]
    assert report.imported == 0
    assert Officer.objects.count() == 1  # only the one created above


def test_valid_rows_only_option_imports_the_good_rows(world):
    rows = [with_certificate(person(), "37990020250101"), person("错号", 身份证号="110105194912310021")]
    report = run(world, xlsx(rows), only_valid=True)
    assert report.imported == 1 and report.error_rows == [3]
    assert list(Officer.objects.values_list("name", flat=True)) == ["李娜"]


def test_numeric_id_number_cell_is_refused(world):
    report = run(world, xlsx([person(身份证号=370000198503150011)]))
    assert "文本" in report.errors[0].message


def test_agency_user_cannot_import_certificates(world):
    report = run(world, xlsx([with_certificate(person(), "37990020250101")]), user="market_head")
    assert report.errors[0].column == "证件编号" and "无权发放" in report.errors[0].message
    assert not Officer.objects.exists()


def test_unit_outside_scope_is_not_found(world):
    report = run(world, xlsx([person(所在单位="示范市市场监督管理局")]), user="east_head")
    assert report.errors[0].column == "所在单位" and "管理范围" in report.errors[0].message


def test_ambiguous_department_name_needs_the_agency(world):
    from zhifa.organizations.models import Organization, OrgKind

    Organization.objects.add_child(
        world.orgs["east_market"],
        instance=Organization(kind=OrgKind.DEPARTMENT, name="执法稽查支队", region=world.regions["east"]),
    )
    report = run(world, xlsx([person(所在单位="执法稽查支队")]))
    assert "对应多个机构" in report.errors[0].message


@pytest.mark.parametrize(
    ("content", "fragment"),
    [(b"name,id\n", "不是Excel"), (b"PK\x03\x04broken zip", "损坏"), (b"", "不是Excel")],
)
def test_non_xlsx_or_corrupt_file_gets_a_chinese_error(world, content, fragment):
    upload = SimpleUploadedFile("x.xlsx", content)
    report = run(world, upload)
    assert fragment in report.file_error and report.imported == 0


def test_file_with_headers_only_has_no_data(world):
    assert "没有数据" in run(world, xlsx([])).file_error


def test_oversized_import_is_refused(world, settings):
    settings.ZHIFA_MAX_IMPORT_BYTES = 100
    report = run(world, xlsx([person()]))
    assert "文件过大" in report.file_error


def test_template_has_the_exact_headers(world, client_for):
    response = client_for(world.users["market_head"]).get(reverse("personnel:import_template"))
    sheet = load_workbook(BytesIO(response.content)).worksheets[0]
    assert [c.value for c in sheet[1]] == importing.HEADERS


def test_import_page_shows_report(world, client_for):
    client = client_for(world.users["city_supervisor"])
    upload = xlsx([person("错号", 身份证号="110105194912310021")])
    response = client.post(reverse("personnel:officer_import"), {"file": upload})
    html = response.content.decode()
    assert "第2行" in html and "校验码" in html and "未导入任何数据" in html
    assert not Officer.objects.exists()
