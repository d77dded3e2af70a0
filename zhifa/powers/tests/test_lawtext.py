"""The law-file parser, Chinese numerals, citations and fine ranges (pure, no database)."""

import re
from datetime import date
from decimal import Decimal

import pytest

from zhifa.powers import lawtext
from zhifa.powers.lawtext import LawFormatError, chinese_to_int, int_to_chinese, parse_law
from zhifa.powers.services import bundled_law_files

BUNDLED = bundled_law_files()
ARTICLE_LINE = re.compile(r"^第[零一二三四五六七八九十百千]+条[ \u3000]", re.MULTILINE)


def law_text(short: str) -> str:
    return next(p for p in BUNDLED if p.name.startswith(short + "(")).read_text(encoding="utf-8")


def test_all_bundled_laws_are_there():
    assert len(BUNDLED) == 21


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_every_bundled_law_parses_with_one_article_per_article_paragraph(path):
    text = path.read_text(encoding="utf-8")
    law = parse_law(text)
    assert len(law.articles) == len(ARTICLE_LINE.findall(text))
    assert [a.number for a in law.articles] == list(range(1, len(law.articles) + 1))
    assert law.title.startswith(("中华人民共和国", "城市", "行政执法机关"))
    short, version = lawtext.parse_filename(path.name)
    assert version is not None and short in law.title
    assert law.effective_date(version) >= version


@pytest.mark.parametrize(
    ("label", "number"),
    [
        ("十", 10),
        ("十一", 11),
        ("十九", 19),
        ("二十", 20),
        ("九十九", 99),
        ("一百", 100),
        ("一百零六", 106),
        ("一百一十", 110),
        ("一百一十九", 119),
        ("二百", 200),
        ("二百零一", 201),
        ("一千零一", 1001),
    ],
)
def test_chinese_numeral_boundaries(label, number):
    assert chinese_to_int(label) == number
    assert int_to_chinese(number) == label
    assert lawtext.article_label(number) == f"第{label}条"


def test_numerals_round_trip_up_to_9999():
    assert all(chinese_to_int(int_to_chinese(n)) == n for n in range(1, 10_000))


@pytest.mark.parametrize("bad", ["", "十十", "百", "一二", "一百一千", "零十", "十X"])
def test_malformed_numerals_are_refused(bad):
    with pytest.raises(ValueError):
        chinese_to_int(bad)


def test_large_amount_numerals():
    assert chinese_to_int("五十万") == 500_000
    assert chinese_to_int("一百五十万") == 1_500_000
    assert chinese_to_int("二千") == 2000


def test_articles_100_106_200_are_found_in_the_statutes():
    food = parse_law(law_text("食品安全法"))
    numbers = {a.number: a for a in food.articles}
    assert numbers[100].label == "第一百条"
    assert numbers[106].label == "第一百零六条"
    assert numbers[10].label == "第十条" and numbers[11].label == "第十一条"
    safety = parse_law(law_text("安全生产法"))
    assert safety.articles[105].label == "第一百零六条"
    assert "免除或者减轻其对从业人员因生产安全事故伤亡" in safety.articles[105].text


def test_paragraphs_are_kuan_and_lines_with_parenthesised_numbers_are_xiang():
    article = parse_law(law_text("食品安全法")).articles[1]  # 第二条
    shape = [(p.kuan, p.xiang) for p in article.paragraphs]
    assert shape == [(1, None), (1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (2, None)]
    assert article.paragraphs[-1].text.startswith("供食用的源于农业的初级产品")


def test_chapters_and_sections_nest():
    law = parse_law(law_text("行政处罚法"))
    sections = [c for c in law.chapters if c.kind == "section"]
    assert sections and all(law.chapters[s.parent].kind == "chapter" for s in sections)
    assert law.chapters[0].title == "第一章 总则" or law.chapters[0].title.startswith("第一章")


def test_version_and_effective_dates_come_from_history_and_final_article():
    law = parse_law(law_text("行政处罚法"))
    assert law.version_date() == date(2021, 1, 22)
    assert law.effective_date(date(2021, 1, 22)) == date(2021, 7, 15)  # 本法自2021年7月15日起施行
    regulation = parse_law(law_text("政府信息公开条例"))
    assert regulation.version_date() == date(2019, 4, 3)  # the 施行 line is not a version
    assert regulation.effective_date(date(2019, 4, 3)) == date(2019, 5, 15)


def test_filename_gives_short_title_and_version():
    assert lawtext.parse_filename("安全生产法(2021-06-10).md") == ("安全生产法", date(2021, 6, 10))
    assert lawtext.parse_filename("安全生产法（2021-06-10）.txt") == ("安全生产法", date(2021, 6, 10))
    assert lawtext.parse_filename("upload.md") == ("upload", None)


GOOD = "# 示范条例\n\n2020年1月1日 通过\n\n<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了示范，制定本条例。\n\n第二条 本条例自公布之日起施行。\n"


def test_minimal_file_parses():
    law = parse_law(GOOD)
    assert law.title == "示范条例" and len(law.articles) == 2 and law.version_date() == date(2020, 1, 1)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("示范条例\n第一条 内容", "缺少标题行"),
        ("", "缺少标题行"),
        ("# 示范条例\n<!-- INFO END -->\n本条例没有条文。", "在第一条之前"),
        ("# 示范条例\n<!-- INFO END -->\n## 第一章 总则\n", "未找到任何条文"),
        ("# 示范条例\n<!-- INFO END -->\n第一条 甲。\n第三条 丙。", "应为“第二条”，实际为“第三条”"),
        ("# 示范条例\n<!-- INFO END -->\n第二条 乙。", "应为“第一条”"),
        ("# 示范条例\n<!-- INFO END -->\n## 第二章 总则\n第一条 甲。", "应为“第一章”"),
        ("# 示范条例\n<!-- INFO END -->\n### 第一节 一般规定\n第一条 甲。", "必须位于某一“章”之下"),
        ("# 示范条例\n<!-- INFO END -->\n第一条 甲。\n第二条", "后没有条文内容"),
        ("# 示范条例\n<!-- INFO END -->\n第一条 甲。\n#### 附录", "无法识别的标题"),
    ],
)
def test_malformed_files_are_refused_in_chinese_with_line_numbers(text, fragment):
    with pytest.raises(LawFormatError) as caught:
        parse_law(text)
    assert any(fragment in e for e in caught.value.errors), caught.value.errors


def test_content_hash_ignores_blank_lines_but_not_text():
    assert parse_law(GOOD).content_hash() == parse_law(GOOD.replace("\n\n", "\n")).content_hash()
    assert parse_law(GOOD).content_hash() != parse_law(GOOD.replace("示范，", "示范：")).content_hash()


# --- citations -----------------------------------------------------------------------------------
def labels(text):
    return [c.label for c in lawtext.parse_citations(text)]


def test_citation_with_full_title():
    assert labels("《中华人民共和国食品安全法》第一百二十二条") == [
        "《中华人民共和国食品安全法》第一百二十二条"
    ]


def test_citation_with_short_title_and_version_note():
    (citation,) = lawtext.parse_citations("1.《安全生产法》(2021年6月10日第三次修正)第九十二条：承担安全评价")
    assert (citation.law, citation.article, citation.version_date) == ("安全生产法", 92, date(2021, 6, 10))


def test_citation_chain_with_kuan_and_xiang():
    assert labels("《广告法》第五十五条第一款、第五十七条和第五十八条第一款第（三）项、第（四）项") == [
        "《广告法》第五十五条第一款",
        "《广告法》第五十七条",
        "《广告法》第五十八条第一款第（三）项",
        "《广告法》第五十八条第一款第（四）项",
    ]


def test_quoted_articles_of_the_same_law_count_but_references_inside_them_do_not():
    text = (
        "《中华人民共和国水法》第十九条 建设水工程，违反本法第十条规定的，不得开工。 第三十八条 在河道管理范围内建设桥梁。"
        "《中华人民共和国防洪法》(中华人民共和国主席令第48号)第二十七条 建设跨河桥梁"
    )
    assert labels(text) == [
        "《中华人民共和国水法》第十九条",
        "《中华人民共和国水法》第三十八条",
        "《中华人民共和国防洪法》第二十七条",
    ]


def test_text_without_book_title_marks_has_no_citations():
    assert lawtext.parse_citations("依照本法第十条规定处罚") == []
    assert lawtext.parse_citations("") == []


# --- fine ranges ---------------------------------------------------------------------------------
def test_fine_range_of_food_safety_122_ignores_the_threshold():
    ranges = lawtext.fine_ranges(parse_law(law_text("食品安全法")).articles[121].paragraphs[0].text)
    assert (ranges.amount_min, ranges.amount_max) == (Decimal(50_000), Decimal(100_000))
    assert ranges.multiples == {"货值金额": (Decimal(10), Decimal(20))}


def test_fine_range_of_safety_106_and_92():
    safety = parse_law(law_text("安全生产法")).articles
    r106 = lawtext.fine_ranges(safety[105].text)
    assert (r106.amount_min, r106.amount_max) == (Decimal(20_000), Decimal(100_000))
    r92 = lawtext.fine_ranges(safety[91].text)
    assert (r92.amount_min, r92.amount_max) == (Decimal(30_000), Decimal(200_000))
    assert r92.multiples == {"违法所得": (Decimal(2), Decimal(5))}


@pytest.mark.parametrize(
    ("text", "amounts", "multiples"),
    [
        ("处二百元以下罚款", (0, 200), {}),
        ("处五千元以上三万元以下的罚款", (5000, 30000), {}),
        ("处5万元以上10万元以下罚款", (50000, 100000), {}),
        ("并处违法生产、销售产品货值金额等值以下的罚款", None, {"货值金额": (0, 1)}),
        ("并处货值金额百分之五十以上三倍以下的罚款", None, {"货值金额": (Decimal("0.5"), 3)}),
        ("可以并处违法所得五倍以下的罚款", None, {"违法所得": (0, 5)}),
        ("货值金额不足一万元的，责令改正", None, {}),
    ],
)
def test_fine_range_phrases(text, amounts, multiples):
    ranges = lawtext.fine_ranges(text)
    got = (ranges.amount_min, ranges.amount_max) if ranges.amount_max is not None else None
    assert got == (tuple(Decimal(a) for a in amounts) if amounts else None)
    assert ranges.multiples == {k: (Decimal(lo), Decimal(hi)) for k, (lo, hi) in multiples.items()}
