"""Pure text handling for statutes: Chinese numerals, the law-file format, citations, fine ranges.

No database here. The law-file format is the one of ``data/laws/README.md`` (the LawRefBook
layout): a ``# 全称`` title line, history lines until ``<!-- INFO END -->``, ``## 第X章`` and
``### 第X节`` headings, articles starting ``第X条`` + space, following paragraphs are 款 and
lines like ``（一）…`` are 项.
"""

from __future__ import annotations

import hashlib
import re
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

# --- Chinese numerals ---------------------------------------------------------------------------
DIGITS = {
    "零": 0,
    "〇": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
SMALL_UNITS = {"十": 10, "百": 100, "千": 1000}
BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
NUMERAL_CHARS = "".join(DIGITS) + "".join(SMALL_UNITS) + "".join(BIG_UNITS)


def chinese_to_int(text: str) -> int:
    """``一百零六`` → 106, ``十一`` → 11, ``五十万`` → 500000. Arabic digits pass through.

    Raises ValueError for anything that is not a well-formed numeral (``十十``, ``百``, ``一二``).
    """
    text = text.strip()
    if text.isdigit():
        return int(text)
    if not text or any(ch not in NUMERAL_CHARS for ch in text):
        raise ValueError(f"不是中文数字：{text}")
    total, section, digit, last_unit = 0, 0, None, None
    for ch in text:
        if ch in DIGITS:
            if digit not in (None, 0):  # two digits in a row: 一二
                raise ValueError(f"中文数字格式错误：{text}")
            digit = DIGITS[ch]
        elif ch in SMALL_UNITS:
            unit = SMALL_UNITS[ch]
            if (last_unit is not None and unit >= last_unit) or digit == 0:
                raise ValueError(f"中文数字格式错误：{text}")
            # 十 alone at the start of a section means 一十 (第十条, 第十一条).
            if digit is None and not (unit == 10 and section == 0):
                raise ValueError(f"中文数字格式错误：{text}")
            section += (1 if digit is None else digit) * unit
            digit, last_unit = None, unit
        else:
            section += digit or 0
            if section == 0:
                raise ValueError(f"中文数字格式错误：{text}")
            total += section * BIG_UNITS[ch]
            section, digit, last_unit = 0, None, None
    return total + section + (digit or 0)


def int_to_chinese(number: int) -> str:
    """106 → ``一百零六``, 10 → ``十``, 110 → ``一百一十`` (the form statutes use for 1–9999)."""
    if not 0 < number < 10_000:
        raise ValueError("只支持1至9999。")
    digits = "零一二三四五六七八九"
    parts, zero_pending = [], False
    for unit, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        value = number // unit % 10
        if value == 0:
            zero_pending = bool(parts)
            continue
        if zero_pending:
            parts.append("零")
            zero_pending = False
        parts.append(digits[value] + name)
    text = "".join(parts)
    return text[1:] if text.startswith("一十") else text


def article_label(number: int) -> str:
    return f"第{int_to_chinese(number)}条"


# --- The law-file format --------------------------------------------------------------------------
INFO_END = "<!-- INFO END -->"
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None)
ARTICLE_START = re.compile(rf"^第([{NUMERAL_CHARS}]+)条[ \u3000]+(\S.*)$")
CHAPTER_HEADING = re.compile(rf"^(#{{2,3}})\s*第([{NUMERAL_CHARS}]+)([章节])\s*(.*)$")
ITEM_START = re.compile(rf"^[（(]([{NUMERAL_CHARS}]+)[)）]")
DATE_IN_TEXT = re.compile(r"(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
EFFECTIVE_CLAUSE = re.compile(r"自\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日起施行")
FILENAME = re.compile(r"^(?P<short>.+?)\s*[（(](?P<date>\d{4}-\d{2}-\d{2})[)）]$")


class LawFormatError(ValueError):
    """The text is not a law file in the expected format; ``errors`` are Chinese messages."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("；".join(errors))


@dataclass
class ParsedParagraph:
    kuan: int  # 款, from 1
    xiang: int | None  # 项, or None for the 款's own text
    text: str


@dataclass
class ParsedChapter:
    kind: str  # "chapter" (章) or "section" (节)
    number: int
    title: str  # "第一章 总则"
    parent: int | None = None  # index of the 章 that holds this 节


@dataclass
class ParsedArticle:
    number: int
    chapter: int | None  # index into ParsedLaw.chapters of the innermost heading
    paragraphs: list[ParsedParagraph] = field(default_factory=list)

    @property
    def label(self) -> str:
        return article_label(self.number)

    @property
    def text(self) -> str:
        return "\n".join(p.text for p in self.paragraphs)


@dataclass
class ParsedLaw:
    title: str
    history: list[str]
    chapters: list[ParsedChapter]
    articles: list[ParsedArticle]

    def content_hash(self) -> str:
        """A digest of what is stored, so a re-import of the same text is recognised."""
        digest = hashlib.sha256(self.title.encode())
        for line in self.history:
            digest.update(b"\x1eH" + line.encode())
        for chapter in self.chapters:
            digest.update(f"\x1eC{chapter.kind}{chapter.number}{chapter.parent}{chapter.title}".encode())
        for article in self.articles:
            digest.update(f"\x1eA{article.number}|{article.chapter}".encode())
            for p in article.paragraphs:
                digest.update(f"\x1fP{p.kuan}|{p.xiang}|{p.text}".encode())
        return digest.hexdigest()

    def history_dates(self) -> list[tuple[date, str]]:
        return [(d, line) for line in self.history if (d := first_date(line))]

    def version_date(self) -> date | None:
        """The date of the last adoption/amendment line (施行 lines name the effective date)."""
        dated = [d for d, line in self.history_dates() if not is_effective_line(line)]
        return dated[-1] if dated else None

    def effective_date(self, version_date: date) -> date:
        """When this version took effect: a 施行 history line, or the last article's ``自…起施行``
        (a 修订 restates it), when on or after the version date; else the version date itself
        (amending decisions usually take effect on adoption, and the old 施行 date stays in the text).
        """
        candidates = [d for d, line in self.history_dates() if is_effective_line(line)]
        if self.articles and (match := EFFECTIVE_CLAUSE.search(self.articles[-1].text)):
            candidates.append(first_date(match.group(0)))
        later = [d for d in candidates if d and d >= version_date]
        return max(later) if later else version_date


def first_date(text: str) -> date | None:
    match = DATE_IN_TEXT.search(text)
    if not match:
        return None
    try:
        return date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def is_effective_line(line: str) -> bool:
    return bool(re.search(r"日\s*(起)?施行\s*$", line.strip()))


def parse_filename(name: str) -> tuple[str | None, date | None]:
    """``食品安全法(2021-04-29).md`` → ("食品安全法", 2021-04-29); otherwise (stem or None, None)."""
    stem = re.sub(r"\.(md|txt)$", "", name.rsplit("/", 1)[-1], flags=re.IGNORECASE).strip()
    match = FILENAME.match(stem)
    if not match:
        return (stem or None), None
    try:
        return match["short"], date.fromisoformat(match["date"])
    except ValueError:
        return match["short"], None


def short_title_of(title: str) -> str:
    return title.removeprefix("中华人民共和国") or title


def _lines(text: str) -> list[tuple[int, str]]:
    cleaned = text.translate(INVISIBLE).replace("\r\n", "\n").replace("\r", "\n")
    return [(n, line.strip().replace("\u3000", " ").strip()) for n, line in enumerate(cleaned.split("\n"), 1)]


def parse_law(text: str) -> ParsedLaw:
    """Parse one law file; raise LawFormatError (Chinese, with line numbers) when malformed."""
    lines = [(n, line) for n, line in _lines(text) if line]
    if not lines or not lines[0][1].startswith("# ") or not lines[0][1][2:].strip():
        raise LawFormatError(["缺少标题行：文件的第一行应为“# 法律法规全称”。"])
    title = lines[0][1][2:].strip()
    body = lines[1:]
    marker = next((i for i, (_, line) in enumerate(body) if line == INFO_END), None)
    if marker is None:
        # Without the marker, history runs until the first heading or article.
        marker = next((i for i, (_, line) in enumerate(body) if _is_structural(line)), len(body))
        history, body = [line for _, line in body[:marker]], body[marker:]
    else:
        history, body = [line for _, line in body[:marker]], body[marker + 1 :]
    parser = _BodyParser()
    for number, line in body:
        parser.feed(number, line)
    errors = parser.finish()
    if errors:
        raise LawFormatError(errors)
    return ParsedLaw(title=title, history=history, chapters=parser.chapters, articles=parser.articles)


def _is_structural(line: str) -> bool:
    return bool(CHAPTER_HEADING.match(line) or ARTICLE_START.match(line))


class _BodyParser:
    MAX_ERRORS = 10

    def __init__(self):
        self.chapters: list[ParsedChapter] = []
        self.articles: list[ParsedArticle] = []
        self.errors: list[str] = []
        self.current_chapter: int | None = None  # innermost heading
        self.current_top: int | None = None  # the 章

    def error(self, line_no: int, message: str) -> None:
        self.errors.append(f"第{line_no}行：{message}")

    def feed(self, line_no: int, line: str) -> None:
        if heading := CHAPTER_HEADING.match(line):
            self.heading(line_no, heading)
        elif line.startswith("#"):
            self.error(line_no, f"无法识别的标题“{line[:30]}”，应为“## 第X章 …”或“### 第X节 …”。")
        elif article := ARTICLE_START.match(line):
            self.article(line_no, article)
        elif re.match(rf"^第[{NUMERAL_CHARS}]+条$", line):
            self.error(line_no, f"“{line}”后没有条文内容。")
        elif not self.articles:
            self.error(line_no, f"在第一条之前出现了正文内容“{line[:30]}”；每条应以“第X条”加空格开头。")
        else:
            self.paragraph(line)

    def heading(self, line_no: int, match: re.Match) -> None:
        hashes, numeral, kind_char, rest = match.groups()
        kind = "chapter" if kind_char == "章" else "section"
        if (kind == "chapter") != (hashes == "##"):
            self.error(line_no, "章的标题应以“## ”开头，节的标题应以“### ”开头。")
            return
        try:
            number = chinese_to_int(numeral)
        except ValueError:
            self.error(line_no, f"无法识别的{kind_char}编号“第{numeral}{kind_char}”。")
            return
        siblings = [
            c for c in self.chapters if c.kind == kind and (kind == "chapter" or c.parent == self.current_top)
        ]
        expected = len(siblings) + 1
        if number != expected:
            self.error(
                line_no,
                f"{kind_char}的编号不连续：应为“第{int_to_chinese(expected)}{kind_char}”，实际为“第{numeral}{kind_char}”。",
            )
        if kind == "section" and self.current_top is None:
            self.error(line_no, "“节”必须位于某一“章”之下。")
            return
        rest = re.sub(r"\s+", " ", rest).strip()
        title = f"第{numeral}{kind_char} {rest}".strip()
        parent = self.current_top if kind == "section" else None
        self.chapters.append(ParsedChapter(kind=kind, number=number, title=title, parent=parent))
        self.current_chapter = len(self.chapters) - 1
        if kind == "chapter":
            self.current_top = self.current_chapter

    def article(self, line_no: int, match: re.Match) -> None:
        numeral, text = match.groups()
        try:
            number = chinese_to_int(numeral)
        except ValueError:
            self.error(line_no, f"无法识别的条文编号“第{numeral}条”。")
            return
        expected = self.articles[-1].number + 1 if self.articles else 1
        if number != expected:
            self.error(
                line_no,
                f"条文编号不连续：应为“{article_label(expected)}”，实际为“第{numeral}条”。",
            )
        article = ParsedArticle(number=number, chapter=self.current_chapter)
        article.paragraphs.append(ParsedParagraph(kuan=1, xiang=None, text=text.strip()))
        self.articles.append(article)

    def paragraph(self, line: str) -> None:
        article = self.articles[-1]
        last = article.paragraphs[-1]
        if item := ITEM_START.match(line):
            try:
                xiang = chinese_to_int(item.group(1))
            except ValueError:
                xiang = (last.xiang or 0) + 1
            article.paragraphs.append(ParsedParagraph(kuan=last.kuan, xiang=xiang, text=line))
        else:
            article.paragraphs.append(ParsedParagraph(kuan=last.kuan + 1, xiang=None, text=line))

    def finish(self) -> list[str]:
        if not self.articles and not self.errors:
            self.errors.append("未找到任何条文：每条应以“第X条”加空格开头，如“第一条 为了……”。")
        return self.errors[: self.MAX_ERRORS] + (
            [f"另有{len(self.errors) - self.MAX_ERRORS}处错误未列出。"]
            if len(self.errors) > self.MAX_ERRORS
            else []
        )


# --- Citations ----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Citation:
    law: str  # the name inside 《》, e.g. "中华人民共和国食品安全法" or "安全生产法"
    article: int
    kuan: int | None = None
    xiang: int | None = None
    version_date: date | None = None  # when the text names the version, e.g. "(2021年6月10日第三次修正)"

    @property
    def label(self) -> str:
        text = f"《{self.law}》{article_label(self.article)}"
        if self.kuan:
            text += f"第{int_to_chinese(self.kuan)}款"
        if self.xiang:
            text += f"第（{int_to_chinese(self.xiang)}）项"
        return text


N = rf"[{NUMERAL_CHARS}\d]+"
LAW_NAME = re.compile(r"《([^《》\n]{2,60})》")
VERSION_NOTE = re.compile(r"\s*[（(]([^（）()]{0,60})[)）]")
ARTICLE_REF = re.compile(
    rf"第({N})条(?:第({N})款)?(?:第[（(]?({N})[)）]?项)?(?P<more>(?:[、和及或]第[（(]?{N}[)）]?[款项])*)"
)
CHAIN_JOINER = re.compile(r"^\s*(?:、|，|,|和|及|以及|或者|或|至)\s*$")
# A bare 第X条 outside a chain counts only where a list of quoted articles starts one: at the start
# of a line or after a sentence end / space, and followed by a space or colon ("…。 第三十八条 在…").
BARE_REF_BEFORE = re.compile(r"(?:^|[\s。；;])$")
BARE_REF_AFTER = re.compile(r"^[\s:：]")
SELF_REFERENCE = re.compile(r"(本法|本条例|本规定|本办法|本细则|前款|本条)$")


def parse_citations(text: str) -> list[Citation]:
    """Article citations in a 依据 text, in order and without duplicates.

    ``《中华人民共和国食品安全法》第一百二十二条``, ``《安全生产法》(2021年6月10日第三次修正)第九十二条``,
    ``《广告法》第五十五条第一款、第五十七条``, and a quoted article followed by another article of the
    same law (``…第十九条 建设水工程…。 第三十八条 在河道…``). References inside quoted article
    text (``违反本法第十条``) are not citations.
    """
    found: list[Citation] = []
    text = text or ""
    mentions = list(LAW_NAME.finditer(text))
    for index, mention in enumerate(mentions):
        law = mention.group(1).strip()
        end_of_scope = mentions[index + 1].start() if index + 1 < len(mentions) else len(text)
        position, version = mention.end(), None
        if note := VERSION_NOTE.match(text, position, end_of_scope):
            version, position = first_date(note.group(1)), note.end()
        chain_end: int | None = position
        for ref in ARTICLE_REF.finditer(text, position, end_of_scope):
            if _chained(text, chain_end, position, ref) or _bare(text, ref):
                found.extend(_citations_of(ref, law, version))
                chain_end = ref.end()
            else:
                chain_end = None
    unique: list[Citation] = []
    for citation in found:
        if citation not in unique:
            unique.append(citation)
    return unique


def _chained(text: str, chain_end: int | None, start: int, ref: re.Match) -> bool:
    if chain_end is None:
        return False
    gap = text[chain_end : ref.start()]
    return not gap.strip(" ：:") if chain_end == start else bool(CHAIN_JOINER.match(gap))


def _bare(text: str, ref: re.Match) -> bool:
    before = text[max(0, ref.start() - 1) : ref.start()]
    after = text[ref.end() : ref.end() + 1] or " "
    return bool(
        BARE_REF_BEFORE.search(before)
        and BARE_REF_AFTER.match(after)
        and not SELF_REFERENCE.search(text[max(0, ref.start() - 3) : ref.start()])
    )


def _citations_of(ref: re.Match, law: str, version: date | None) -> list[Citation]:
    try:
        article = chinese_to_int(ref.group(1))
        kuan = chinese_to_int(ref.group(2)) if ref.group(2) else None
        xiang = chinese_to_int(ref.group(3)) if ref.group(3) else None
    except ValueError:
        return []
    result = [Citation(law, article, kuan, xiang, version)]
    for extra in re.finditer(rf"第[（(]?({N})[)）]?([款项])", ref.group("more") or ""):
        try:
            value = chinese_to_int(extra.group(1))
        except ValueError:
            continue
        if extra.group(2) == "款":
            result.append(Citation(law, article, value, None, version))
        elif kuan or xiang:
            result.append(Citation(law, article, kuan, value, version))
    return result


# --- Fine ranges in article text ----------------------------------------------------------------
CN_SMALL = "".join(DIGITS) + "".join(SMALL_UNITS)
AMOUNT = rf"(\d+(?:\.\d+)?|[{CN_SMALL}]+)(万)?元"
AMOUNT_RANGE = re.compile(rf"{AMOUNT}以上{AMOUNT}以下")
AMOUNT_CAP = re.compile(rf"{AMOUNT}以下(?:的)?罚款")
MULTIPLE_BASES = (
    "违法所得",
    "货值金额",
    "广告费用",
    "合同价款",
    "违法收入",
    "销售金额",
    "违法经营额",
    "检验费用",
    "产品价值",
)
BASE = rf"({'|'.join(MULTIPLE_BASES)})(?:的)?"
TIMES = rf"([{CN_SMALL}\d]+)倍"
LOW_MULTIPLE = rf"(等值|百分之[{CN_SMALL}]+|[{CN_SMALL}\d]+倍)"
MULTIPLE_RANGE = re.compile(rf"{BASE}{LOW_MULTIPLE}以上{TIMES}以下")
MULTIPLE_CAP = re.compile(rf"{BASE}(等值|[{CN_SMALL}\d]+倍)以下")


@dataclass
class FineRanges:
    """The envelope of the fines an article allows: lowest lower bound, highest upper bound."""

    amount_min: Decimal | None = None
    amount_max: Decimal | None = None
    multiples: dict[str, tuple[Decimal, Decimal]] = field(default_factory=dict)  # base -> (min, max)

    def add_amount(self, low: Decimal, high: Decimal) -> None:
        self.amount_min = low if self.amount_min is None else min(self.amount_min, low)
        self.amount_max = high if self.amount_max is None else max(self.amount_max, high)

    def add_multiple(self, base: str, low: Decimal, high: Decimal) -> None:
        old = self.multiples.get(base)
        self.multiples[base] = (min(old[0], low), max(old[1], high)) if old else (low, high)

    def merge(self, other: FineRanges) -> None:
        if other.amount_max is not None:
            self.add_amount(other.amount_min, other.amount_max)
        for base, (low, high) in other.multiples.items():
            self.add_multiple(base, low, high)

    def __bool__(self) -> bool:
        return self.amount_max is not None or bool(self.multiples)


def _amount(number: str, wan: str | None) -> Decimal:
    value = Decimal(number) if re.fullmatch(r"\d+(\.\d+)?", number) else Decimal(chinese_to_int(number))
    return value * 10_000 if wan else value


def _multiple(text: str) -> Decimal:
    if text == "等值":
        return Decimal(1)
    if text.startswith("百分之"):
        return Decimal(chinese_to_int(text[3:])) / 100
    return Decimal(chinese_to_int(text.removesuffix("倍")))


def fine_ranges(text: str) -> FineRanges:
    """Read ``五万元以上十万元以下``, ``二百元以下罚款``, ``货值金额十倍以上二十倍以下`` from article text.

    Thresholds such as ``货值金额不足一万元的`` are not ranges and are ignored.
    """
    ranges = FineRanges()
    rest = text
    for match in AMOUNT_RANGE.finditer(text):
        with suppress(ValueError):
            ranges.add_amount(_amount(match[1], match[2]), _amount(match[3], match[4]))
        rest = rest.replace(match[0], "※", 1)
    for match in AMOUNT_CAP.finditer(rest):
        with suppress(ValueError):
            ranges.add_amount(Decimal(0), _amount(match[1], match[2]))
    rest = text
    for match in MULTIPLE_RANGE.finditer(text):
        with suppress(ValueError):
            ranges.add_multiple(match[1], _multiple(match[2]), _multiple(match[3]))
        rest = rest.replace(match[0], "※", 1)
    for match in MULTIPLE_CAP.finditer(rest):
        with suppress(ValueError):
            ranges.add_multiple(match[1], Decimal(0), _multiple(match[2]))
    return ranges


def guess_level(history: list[str]) -> tuple[str, str]:
    """(LawLevel value, 制定机关) from the history lines; an administrator can correct both."""
    text = "".join(history)
    if "全国人民代表大会常务委员会" in text:
        return "law", "全国人民代表大会常务委员会"
    if "全国人民代表大会" in text:
        return "law", "全国人民代表大会"
    if "国务院" in text:
        return "admin_regulation", "国务院"
    if "人民代表大会常务委员会" in text:
        return "local_regulation", ""
    if re.search(r"(部|委员会|总局|局|人民政府)令", text):
        return "rule", ""
    return "other", ""
