"""Importing 裁量基准 from xlsx (S8): the four real table shapes of data/examples/discretion
(x01 severity tiers → fixed amounts or revocation; x02 decision tiers → multiples of 违法所得;
x03 size bands → percentages of the contract price for two party roles; x04 volume bands →
amounts for 单位 and 个人), row/column errors, all or nothing, and the template."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from zhifa.powers import discretion_import, services
from zhifa.powers.discretion_import import HEADERS, BenchmarkHeader
from zhifa.powers.models import DiscretionBenchmark, DiscretionTier, PowerItem

pytestmark = pytest.mark.django_db
D = Decimal


def xlsx(rows: list[dict], headers=HEADERS, name="裁量基准.xlsx") -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    buffer = BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def item(world, name, **fields):
    return services.store_item(
        PowerItem(
            agency=world.orgs["market"], name=name, category="penalty", basis_text="（依据略）", **fields
        )
    )


def header(world, title="示范市行政处罚裁量基准", number="示规〔2025〕1号"):
    return BenchmarkHeader(
        agency=world.orgs["market"], title=title, document_number=number, effective_from=date(2025, 3, 1)
    )


def run(world, rows, user="market_head", **kwargs):
    return services.import_benchmarks(world.users[user], header(world, **kwargs), xlsx(rows))


# x01: 《互联网上网服务营业场所管理条例》第三十条 — severity tiers, fixed amounts, revocation.
X01_HOURS = "网吧是否按规定的时间营业"
X01_MINORS = "网吧违规接纳未成年人"


def x01_rows():
    common = {"序号": "1", "事项名称": X01_HOURS}
    minors = {"序号": "2", "事项名称": X01_MINORS}
    return [
        {**common, "档次名称": "一般", "适用情形": "在规定的营业时间以外营业的。", "处罚种类": "警告、罚款",
         "罚款下限（元）": "1000", "罚款上限（元）": "1000", "裁量标准原文": "警告,并处1000元罚款"},
        {**common, "档次名称": "较重", "适用情形": "锁闭门窗经营网吧", "情形标签": "锁闭门窗经营",
         "处罚种类": "责令停业整顿、罚款", "罚款下限（元）": "5000", "罚款上限（元）": "5000"},
        {**common, "档次名称": "严重", "适用情形": "一周年内因相同违法行为被查处2次或2次以上",
         "分档指标": "一年内被查处次数", "计量单位": "次", "区间下限": "2", "区间上限": "3",
         "处罚种类": "责令停业整顿、罚款", "罚款下限（元）": "1万", "罚款上限（元）": "1万"},
        {**common, "档次名称": "特别严重", "适用情形": "一周年内因相同违法行为被查处3次以上",
         "分档指标": "一年内被查处次数", "计量单位": "次", "区间下限": "3", "处罚种类": "吊销许可证",
         "裁量标准原文": "由原发证机关吊销许可证"},
        {**minors, "档次名称": "一般", "适用情形": "一次接纳1-2名未成年人的。", "分档指标": "未成年人人数",
         "计量单位": "名", "区间下限": "1", "区间上限": "3", "处罚种类": "责令停业整顿、罚款",
         "罚款下限（元）": "15000", "罚款上限（元）": "15000", "裁量标准原文": "责令停业整顿30日,并处15000元罚款"},
        {**minors, "档次名称": "特别严重", "适用情形": "一次接纳3名以上(含3名)未成年人",
         "分档指标": "未成年人人数", "计量单位": "名", "区间下限": "3", "处罚种类": "吊销许可证件"},
    ]  # fmt: skip


def x01_items(world):
    kinds = ["warning", "fine", "suspend_business", "revoke_license"]
    return (
        item(world, X01_HOURS, penalty_kinds=kinds, fine_max=D(15000)),
        item(world, X01_MINORS, penalty_kinds=kinds, fine_max=D(15000)),
    )


def test_x01_severity_tiers_with_fixed_amounts_and_revocation_s8(world):
    hours, minors = x01_items(world)
    report = run(world, x01_rows())
    assert report.ok and report.imported == 2, report.errors
    benchmark = DiscretionBenchmark.objects.get(power_item=hours)
    tiers = list(benchmark.tiers.all())
    assert [(t.level_label, t.tier) for t in tiers] == [
        ("一般", "general"),
        ("较重", "heavier"),
        ("严重", "heavier"),
        ("特别严重", "heavier"),
    ]
    assert tiers[1].penalty_kinds == ["suspend_business", "fine"] and tiers[1].tags == ["锁闭门窗经营"]
    assert tiers[2].fine_max == D(10000) and tiers[3].penalty_kinds == ["revoke_license"]
    assert benchmark.item_number == "1" and benchmark.status == "draft"
    suggestion = services.suggest_penalty(
        hours, [], {"一年内被查处次数": 3}, date(2025, 6, 1), benchmark=benchmark
    )
    assert suggestion.range_text == "吊销许可证件"
    suggestion = services.suggest_penalty(hours, [], {}, date(2025, 6, 1), benchmark=benchmark)
    assert suggestion.level_label == "一般" and suggestion.range_text == "警告；罚款1000元"
    assert DiscretionBenchmark.objects.get(power_item=minors).tiers.count() == 2


# x02: 基本医疗卫生与健康促进法第九十九条 — five decision tiers, multiples of 违法所得 with a floor.
X02 = "未取得医疗机构执业许可证擅自执业的行为"


def x02_rows():
    common = {"序号": "1", "事项名称": X02}
    base = {"倍数基数": "违法所得", "基数下限（元）": "10000", "处罚种类": "没收违法所得、没收非法财物",
            "其他措施": "责令停止执业活动"}  # fmt: skip
    return [
        {**common, "档次名称": "不予处罚", "适用情形": "符合裁量规则不予处罚情形规定的。", "裁量标准原文": "不予处罚。"},
        {**common, "档次名称": "免予处罚", "适用情形": "符合裁量规则免予处罚情形规定的。"},
        {**common, **base, "档次名称": "减轻处罚", "适用情形": "符合裁量规则减轻处罚情形规定的。",
         "倍数（比例）上限": "5"},
        {**common, **base, "档次名称": "从轻处罚", "适用情形": "擅自执业时间在3个月以下，没有造成患者损害的",
         "情形标签": "执业时间3个月以下", "倍数（比例）下限": "5", "倍数（比例）上限": "8"},
        {**common, **base, "档次名称": "一般处罚", "适用情形": "不具有从轻、从重情形的",
         "倍数（比例）下限": "8", "倍数（比例）上限": "14"},
        {**common, **base, "档次名称": "从重处罚", "适用情形": "造成患者人身损害的",
         "情形标签": "造成患者人身损害", "倍数（比例）下限": "14", "倍数（比例）上限": "20倍"},
    ]  # fmt: skip


def test_x02_decision_tiers_with_multiples_of_illegal_income_s8(world):
    clinic = item(
        world,
        X02,
        penalty_kinds=["fine", "confiscate_income", "confiscate_property"],
        multiple_base="illegal_income",
        multiple_min=D(5),
        multiple_max=D(20),
    )
    report = run(world, x02_rows(), title="广西壮族自治区卫生健康行政处罚裁量权基准（医疗卫生）", number="")
    assert report.ok, report.errors
    benchmark = DiscretionBenchmark.objects.get(power_item=clinic)
    tiers = list(benchmark.tiers.all())
    assert [t.tier for t in tiers] == ["none", "none", "mitigated", "lighter", "general", "heavier"]
    assert tiers[2].multiple_max == D(5) and tiers[2].base_floor == D(10000) and tiers[2].multiple_min is None
    assert tiers[5].multiple_max == D(20)
    result = services.check_proposal(
        clinic, ["confessed"], {"违法所得": 6000}, {"amount": 30000, "kinds": ["confiscate_income", "confiscate_property"]},
        date(2025, 6, 1), benchmark=benchmark,
    )  # fmt: skip
    assert result.tier == "mitigated" and result.yuan_max == D(50000) and result.within and result.lawful
    assert "违法所得不足1万元的，按1万元计算" in result.explanation


# x03: 建筑工程施工许可管理办法第十二条 — size bands, contract-price percentages, two party roles.
X03 = "未取得施工许可证或者为规避办理施工许可证将工程项目分解后擅自施工"
SUB1 = "1.未取得施工许可证擅自施工的"


def x03_rows():
    rows = []
    bands = [
        ("轻微违法行为", "市政工程属于小型工程的；其他涉案工程面积在20000㎡以下的。", "", "20000", "小型工程",
         ("1%", "1.3%"), ("", "1万")),
        ("一般违法行为", "市政工程属于中型工程的；其他涉案工程面积在20000㎡以上50000㎡以下的。", "20000", "50000",
         "中型工程", ("1.3%", "1.7%"), ("1万", "2万")),
        ("严重违法行为", "市政工程属于大型工程的；其他涉案工程面积50000㎡以上的；或造成严重危害后果的。", "50000", "",
         "大型工程、造成严重危害后果", ("1.7%", "2%"), ("2万", "3万")),
    ]  # fmt: skip
    for level, condition, low, high, tags, rate, amount in bands:
        common = {"序号": "3", "事项名称": X03, "子项": SUB1, "档次名称": level, "适用情形": condition,
                  "情形标签": tags, "分档指标": "工程面积", "计量单位": "平方米", "区间下限": low, "区间上限": high,
                  "其他措施": "责令停止施工，限期改正"}  # fmt: skip
        rows.append({**common, "当事人类别": "建设单位", "倍数基数": "合同价款",
                     "倍数（比例）下限": rate[0], "倍数（比例）上限": rate[1]})  # fmt: skip
        rows.append(
            {**common, "当事人类别": "施工单位", "罚款下限（元）": amount[0], "罚款上限（元）": amount[1]}
        )
    rows.append({**rows[0], "子项": "2.为规避办理施工许可证将工程项目分解后擅自施工的"})
    return rows


def test_x03_size_bands_with_contract_price_percentages_and_two_parties_s8(world):
    permit = item(
        world,
        X03,
        penalty_kinds=["fine"],
        fine_max=D(30000),
        multiple_base="contract_price",
        multiple_min=D("0.01"),
        multiple_max=D("0.02"),
    )
    report = run(world, x03_rows(), title="卢氏县城市管理局行政处罚自由裁量基准", number="")
    assert report.ok, report.errors
    benchmark = DiscretionBenchmark.objects.get(power_item=permit)
    assert benchmark.tiers.count() == 7 and benchmark.has_parties and benchmark.has_sub_items
    lighter = benchmark.tiers.get(sub_item=SUB1, party="建设单位", tier="lighter")
    assert (lighter.multiple_min, lighter.multiple_max) == (D("0.01"), D("0.013"))
    assert "合同价款1%以上1.3%以下的罚款" in lighter.range_text
    owner = services.suggest_penalty(
        permit,
        [],
        {"工程面积": 30000, "合同价款": 5_000_000},
        date(2025, 6, 1),
        party="建设单位",
        benchmark=benchmark,
    )
    assert owner.level_label == "一般违法行为" and (owner.yuan_min, owner.yuan_max) == (D(65000), D(85000))
    builder = services.suggest_penalty(
        permit,
        ["造成严重危害后果"],
        {"工程面积": 30000},
        date(2025, 6, 1),
        party="施工单位",
        benchmark=benchmark,
    )
    assert builder.tier == "heavier" and (builder.yuan_min, builder.yuan_max) == (D(20000), D(30000))


# x04: 城市建筑垃圾管理规定第二十条 — volume bands, fixed amounts for 单位 and 个人.
X04 = "擅自设立弃置场受纳建筑垃圾的"


def x04_rows():
    rows = []
    for level, condition, low, high, unit_fine, person_fine in (
        ("轻微", "擅自设立弃置场受纳建筑垃圾在50立方米以下的", "", "50", "5000", "1000"),
        ("一般", "擅自设立弃置场受纳建筑垃圾在50立方米以上100立方米以下的", "50", "100", "8000", "2000"),
        ("严重", "擅自设立弃置场受纳建筑垃圾在100立方米以上的", "100", "", "1万", "3000"),
    ):
        common = {"序号": "52", "事项编码": "PT01CG--CF-0052", "档次名称": level, "适用情形": condition,
                  "分档指标": "堆放量", "计量单位": "立方米", "区间下限": low, "区间上限": high,
                  "处罚种类": "警告", "其他措施": "责令限期改正"}  # fmt: skip
        rows.append(
            {**common, "当事人类别": "单位", "罚款下限（元）": unit_fine, "罚款上限（元）": unit_fine}
        )
        rows.append(
            {**common, "当事人类别": "个人", "罚款下限（元）": person_fine, "罚款上限（元）": person_fine}
        )
    return rows


def x04_item(world):
    return item(world, X04, code="PT01CG--CF-0052", penalty_kinds=["warning", "fine"], fine_max=D(10000))


def test_x04_volume_bands_with_amounts_for_units_and_individuals_s8(world):
    dump = x04_item(world)
    report = run(world, x04_rows())
    assert report.ok, report.errors
    benchmark = DiscretionBenchmark.objects.get(power_item=dump)
    assert benchmark.tiers.filter(party="个人").count() == 3
    person = services.suggest_penalty(
        dump, [], {"堆放量": 100}, date(2025, 6, 1), party="个人", benchmark=benchmark
    )
    assert person.level_label == "严重" and person.yuan_max == D(3000)
    unit = services.suggest_penalty(
        dump, [], {"堆放量": 80}, date(2025, 6, 1), party="单位", benchmark=benchmark
    )
    assert unit.range_text == "责令限期改正；警告；罚款8000元"


# --- refusals -----------------------------------------------------------------------------------
def test_s8_a_row_beyond_the_legal_range_names_row_column_rule_and_basis_and_imports_nothing(world):
    x04_item(world)
    x01_items(world)
    rows = x01_rows() + x04_rows()
    rows[-1] = {**rows[-1], "罚款下限（元）": "12000", "罚款上限（元）": "12000"}  # 个人 严重 above 1万
    report = run(world, rows)
    assert not report.ok and report.imported == 0
    (error,) = report.errors
    assert error.row == len(rows) + 1 and error.column == "罚款上限（元）"
    assert "超过法定最高限额" in error.message and "S8" in error.message and "第三十四条" in error.message
    assert DiscretionBenchmark.objects.count() == 0 and DiscretionTier.objects.count() == 0


def test_s8_lighter_tier_below_the_legal_minimum_is_refused_at_its_row(world):
    item(world, "最低限额事项", penalty_kinds=["fine"], fine_min=D(5000), fine_max=D(10000))
    rows = [
        {"事项名称": "最低限额事项", "档次名称": "轻微", "适用情形": "情节轻微", "罚款下限（元）": "3000",
         "罚款上限（元）": "5000"},
    ]  # fmt: skip
    (error,) = run(world, rows).errors
    assert (error.row, error.column) == (2, "罚款下限（元）") and "减轻处罚" in error.message


def test_unreadable_cells_are_reported_by_row_and_column(world):
    x04_item(world)
    rows = x04_rows()
    rows[0] = {**rows[0], "罚款上限（元）": "五千", "处罚种类": "警告、打屁股"}
    rows[1] = {**rows[1], "事项编码": "NOPE-1"}
    rows[2] = {**rows[2], "档次名称": "说不清", "倍数基数": "利润"}
    report = run(world, rows)
    found = {(e.row, e.column) for e in report.errors}
    assert {
        (2, "罚款上限（元）"),
        (2, "处罚种类"),
        (3, "事项编码"),
        (4, "档次名称"),
        (4, "倍数基数"),
    } <= found
    assert any("第九条" in e.message for e in report.errors)
    assert DiscretionBenchmark.objects.count() == 0


def test_item_of_another_agency_is_not_found(world):
    services.store_item(
        PowerItem(agency=world.orgs["east_market"], name=X04, category="penalty", basis_text="略", fine_max=D(1),
                  penalty_kinds=["fine"])
    )  # fmt: skip
    rows = [{"事项名称": X04, "档次名称": "一般", "适用情形": "一般", "处罚种类": "罚款"}]
    (error,) = run(world, rows).errors
    assert error.column == "事项名称" and "没有名为" in error.message


def test_file_level_problems(world):
    bad_header = xlsx([{"序号": "1"}], headers=["序号", "档次"])
    report = services.import_benchmarks(world.users["market_head"], header(world), bad_header)
    assert "表头不正确" in report.file_error and "适用情形" in report.file_error
    not_excel = SimpleUploadedFile("x.xlsx", b"not a workbook")
    report = services.import_benchmarks(world.users["market_head"], header(world), not_excel)
    assert ".xlsx" in report.file_error
    assert run(world, []).file_error == "文件中没有数据行。"


def test_import_is_scoped(world):
    x04_item(world)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        run(world, x04_rows(), user="east_head")
    with pytest.raises(PermissionDenied):
        run(world, x04_rows(), user="market_officer")


def test_reimport_adds_a_new_version(world):
    dump = x04_item(world)
    run(world, x04_rows())
    run(world, x04_rows())
    assert list(dump.benchmarks.order_by("version").values_list("version", flat=True)) == [1, 2]


# --- pages and template -------------------------------------------------------------------------
def test_template_has_the_documented_columns_and_notes(world, client_for):
    response = client_for(world.users["market_head"]).get(reverse("powers:benchmark_template"))
    workbook = load_workbook(BytesIO(response.content))
    assert [c.value for c in workbook["裁量基准"][1]] == HEADERS
    notes = [row[0].value for row in workbook["填写说明"].iter_rows(min_row=2) if row[0].value]
    assert notes == HEADERS
    assert workbook["示例"].max_row == 1 + len(discretion_import.EXAMPLE)
    assert (
        client_for(world.users["market_officer"]).get(reverse("powers:benchmark_template")).status_code == 404
    )


def test_import_page_uploads_and_reports(world, client_for):
    x04_item(world)
    client = client_for(world.users["market_head"])
    form = {
        "agency": world.orgs["market"].pk,
        "title": "《示范市城市管理局行政处罚自由裁量标准》",
        "document_number": "示城管规〔2025〕1号",
        "effective_from": "2025-03-01",
        "band_boundary": "lower",
    }
    body = client.post(
        reverse("powers:benchmark_import"), {**form, "file": xlsx(x04_rows())}
    ).content.decode()
    assert "已导入1个事项的裁量基准" in body
    benchmark = DiscretionBenchmark.objects.get()
    assert benchmark.title == "示范市城市管理局行政处罚自由裁量标准"
    rows = x04_rows()
    rows[0]["罚款上限（元）"] = "20000"
    body = client.post(reverse("powers:benchmark_import"), {**form, "file": xlsx(rows)}).content.decode()
    assert "未导入任何数据" in body and "第2行" in body and DiscretionBenchmark.objects.count() == 1
