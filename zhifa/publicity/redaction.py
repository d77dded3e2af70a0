"""Redaction of decision texts and party fields before publication (G4, G7, G8). Pure: no database.

``redact(text, ...)`` finds spans of personal data, merges overlapping spans and returns the redacted
text with the list of changes (positions in the original and in the redacted text) so an approver
can see both side by side. ``public_party(...)`` gives the publishable fields of one party.

Choices (documented in the module so the approver page and tests can cite them):

* 身份证号 (G8): every 18-digit number with a valid birth date is masked, whether or not its GB 11643
  check character is right (a mistyped number still identifies the person), and so are 15-digit
  old numbers with a valid date. When an all-digit value is both a valid 统一社会信用代码 and a valid
  身份证号, the label in front of it (“统一社会信用代码”/“身份证”) decides; without a label it is masked.
* 电话 (G8): mobile numbers always; landlines unless named as an agency's 监督/举报/投诉/咨询电话 or
  listed in ``keep``. Digits inside longer numbers, codes, amounts (…元) are never phones.
* 银行账号 (G8, natural and legal persons): 16–19 digits passing Luhn (groups of digits split by
  spaces or hyphens allowed), and any 8–30 digit number after 账号/账户/卡号.
* 住址 (G8): a natural person's address is masked: text after 住址/家住/现住/户籍地/居住地/暂住…,
  and after 住所/地址/联系地址/送达地址 unless the nearest subject before it in the same sentence is an
  organisation (统一社会信用代码 or an organisation name). Free-standing addresses down to a
  dwelling (…单元/…室/…户/…号楼) are masked unless in such an organisation context. Business
  addresses (住所 of a company, 经营场所 of a 个体工商户) stay: they are public registration data.
* 车牌号: the province and issuing-office letters stay, the rest becomes “*” (鲁A12345 → 鲁A·*****):
  a plate identifies the vehicle's keeper, usually a natural person.
* 姓名: the punished natural person (``party_names``, also a 个体工商户's operator) becomes 姓+某
  (张三 → 张某, 王小明 → 王某某, G4); every other natural person (``other_names``, witnesses, family,
  names found after 证人/妻子/驾驶员 … or by jieba's person tag) is removed (G8). Names inside an
  organisation name (张三丰商行) and names in ``keep`` (执法人员, whose names are public under G1;
  a legal person's 法定代表人, public in 双公示 under G10) stay.
* ``keep`` never protects a 身份证号 or a mobile number; ``manual`` redactions win over everything.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import cache

from zhifa.core.rules import (
    age_on,
    credit_code_error,
    id_number_birth_date,
    id_number_check_char,
)

ID_MARK = "[身份证号已隐去]"
PHONE_MARK = "[电话已隐去]"
BANK_MARK = "[银行账号已隐去]"
EMAIL_MARK = "[电子邮箱已隐去]"
ADDRESS_MARK = "[住址已隐去]"
NAME_MARK = "[姓名已隐去]"
MANUAL_MARK = "[已隐去]"

KIND_LABELS = {
    "id_number": "身份证号",
    "phone": "电话号码",
    "bank_account": "银行账号",
    "email": "电子邮箱",
    "plate": "车牌号",
    "address": "住址",
    "party_name": "当事人姓名",
    "person_name": "其他自然人姓名",
    "manual": "人工隐去",
}
# Ties between overlapping spans of equal length go to the more specific kind (lower number).
_PRIORITY = {
    "manual": 0,
    "id_number": 1,
    "bank_account": 2,
    "phone": 3,
    "email": 4,
    "address": 5,
    "plate": 6,
    "party_name": 7,
    "person_name": 8,
}
_FLOOR_KINDS = {"id_number"}  # with mobile phones: nothing in ``keep`` protects them
_G4_BASIS = "国办发〔2018〕118号"
_G8_BASIS = "《行政处罚结果信息网上公开暂行办法》"


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str
    replacement: str
    reason: str  # Chinese, naming the rule id


@dataclass(frozen=True)
class Change:
    """One redaction: ``start``/``end`` in the original text, ``new_start``/``new_end`` in the result."""

    start: int
    end: int
    original: str
    replacement: str
    kind: str
    reason: str
    new_start: int
    new_end: int
    merged_kinds: tuple[str, ...] = ()

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]


@dataclass(frozen=True)
class Kept:
    """Text a detector would otherwise touch that stays on purpose (company name, credit code, keep)."""

    start: int
    end: int
    text: str
    kind: str
    reason: str


@dataclass(frozen=True)
class Redaction:
    original: str
    text: str
    changes: tuple[Change, ...]
    kept: tuple[Kept, ...] = field(default=())

    def segments(self) -> Iterator[tuple[str, str, Change | None]]:
        """(original piece, redacted piece, change or None) in order, for a side-by-side view."""
        position = 0
        for change in self.changes:
            if change.start > position:
                piece = self.original[position : change.start]
                yield piece, piece, None
            yield change.original, change.replacement, change
            position = change.end
        if position < len(self.original):
            piece = self.original[position:]
            yield piece, piece, None


# --- Normalisation --------------------------------------------------------------------------------
# Full-width digits and letters map one to one onto ASCII, so positions stay the same.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20


def _normalise(text: str) -> str:
    return text.translate(_FULLWIDTH)


# --- Identifiers ----------------------------------------------------------------------------------
_ID18 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}\d{4}\d{3}[0-9Xx](?![0-9A-Za-z])")
_ID15 = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}\d{6}\d{3}(?![0-9A-Za-z])")
_ID_STARRED = re.compile(r"(?<![0-9A-Za-z*])[1-9]\d{1,5}\*{4,14}\d{0,4}[0-9Xx]?(?![0-9A-Za-z*])")
_CREDIT = re.compile(r"(?<![0-9A-Za-z])[0-9A-HJ-NP-RTUWXY]{18}(?![0-9A-Za-z])")
_CREDIT_LABEL = re.compile(r"(?:统一社会信用代码|信用代码|社会信用代码)\s*[:：]?\s*$")
_ID_LABEL = re.compile(r"(?:身份证|身份号码|证件号)")
_REG_CODE = re.compile(
    r"(?:注册号|营业执照号码?|组织机构代码|登记证号|许可证号|许可证编号|证书编号)\s*[:：为]?\s*([0-9A-Za-z\-]{6,30})"
)


def _plausible_birth(number: str, digits_year: int) -> bool:
    if digits_year == 15:
        number = number[:6] + "19" + number[6:]
    birth = id_number_birth_date(number)
    return birth is not None and 1900 <= birth.year <= date.today().year


def is_valid_id_number(number: str) -> bool:
    number = number.upper()
    return (
        len(number) == 18
        and number[:17].isdigit()
        and _plausible_birth(number, 18)
        and id_number_check_char(number[:17]) == number[17]
    )


def _id_spans(norm: str, credit_codes: set[tuple[int, int]]) -> Iterator[Span]:
    for m in _ID18.finditer(norm):
        if (m.start(), m.end()) in credit_codes or not _plausible_birth(m.group(), 18):
            continue
        valid = id_number_check_char(m.group()[:17]) == m.group()[17].upper()
        reason = "身份证号（G8）" if valid else "疑似身份证号（校验码不符，仍按身份证号隐去，G8）"
        yield Span(m.start(), m.end(), "id_number", ID_MARK, reason)
    for m in _ID15.finditer(norm):
        if _plausible_birth(m.group(), 15) and not _REG_LABEL_BEFORE.search(norm[: m.start()]):
            yield Span(m.start(), m.end(), "id_number", ID_MARK, "15位身份证号（G8）")
    for m in _ID_STARRED.finditer(norm):
        if len(m.group()) in (15, 18):
            yield Span(m.start(), m.end(), "id_number", ID_MARK, "部分遮盖的身份证号（G8）")


_REG_LABEL_BEFORE = re.compile(r"(?:注册号|营业执照号码?|组织机构代码|登记证号)\s*[:：为]?\s*$")


def _credit_codes(norm: str) -> list[tuple[int, int]]:
    """Valid 统一社会信用代码. An all-digit value that is also a valid 身份证号 counts only with a label."""
    found = []
    for m in _CREDIT.finditer(norm):
        code = m.group()
        if credit_code_error(code) is not None:
            continue
        labelled = _CREDIT_LABEL.search(norm[max(0, m.start() - 12) : m.start()])
        if is_valid_id_number(code) and not labelled:
            continue
        found.append((m.start(), m.end()))
    return found


# --- Phones, bank accounts, e-mail, plates -------------------------------------------------------
_END = r"(?![0-9A-Za-z]|\.\d)"  # not followed by more digits, letters or decimals (amounts)
_MOBILE = re.compile(r"(?<![0-9A-Za-z])(?<!\d\.)(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s]?\d{4}){2}" + _END)
_LANDLINE = re.compile(r"(?<![0-9A-Za-z])(?:\(0\d{2,3}\)|0\d{2,3})[-\s]?[2-9]\d{6,7}(?:-\d{1,6})?" + _END)
_AGENCY_LINE = re.compile(r"(?:监督|举报|投诉|咨询|服务|值班|办公)(?:电话|热线)\s*[:：为]?\s*$")
_DIGIT_RUN = re.compile(r"(?<![0-9A-Za-z])\d(?:[ \-]?\d){15,18}(?![0-9A-Za-z])")
_ACCOUNT_CONTEXT = re.compile(
    r"(?:账号|帐号|账户|帐户|卡号|银行卡)\s*(?:号码|号)?\s*[:：为是]?\s*(\d(?:[ \-]?\d){7,29})(?![0-9A-Za-z])"
)
_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_PLATE = re.compile(
    r"(?<![A-Za-z0-9])([京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z])"
    r"[·•.\s]?([A-HJ-NP-Z0-9]{5,6}|[A-HJ-NP-Z0-9]{4}[挂学警港澳])(?![A-Za-z0-9])"
)


def luhn_valid(digits: str) -> bool:
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def _phone_spans(norm: str) -> Iterator[tuple[Span, bool]]:
    """(span, is_mobile): mobiles are never kept; landlines named as agency lines are skipped."""
    for m in _MOBILE.finditer(norm):
        yield Span(m.start(), m.end(), "phone", PHONE_MARK, "自然人联系方式：手机号码（G8）"), True
    for m in _LANDLINE.finditer(norm):
        if _AGENCY_LINE.search(norm[max(0, m.start() - 12) : m.start()]):
            continue
        yield Span(m.start(), m.end(), "phone", PHONE_MARK, "联系方式：固定电话（G8）"), False


def _bank_spans(norm: str) -> Iterator[Span]:
    for m in _DIGIT_RUN.finditer(norm):
        digits = re.sub(r"\D", "", m.group())
        if 16 <= len(digits) <= 19 and luhn_valid(digits):
            yield Span(m.start(), m.end(), "bank_account", BANK_MARK, "银行卡号（Luhn校验通过，G8）")
    for m in _ACCOUNT_CONTEXT.finditer(norm):
        yield Span(m.start(1), m.end(1), "bank_account", BANK_MARK, "银行账号（G8）")


def _email_spans(norm: str) -> Iterator[Span]:
    for m in _EMAIL.finditer(norm):
        yield Span(m.start(), m.end(), "email", EMAIL_MARK, "自然人联系方式：电子邮箱（G8）")


def _plate_spans(norm: str) -> Iterator[Span]:
    for m in _PLATE.finditer(norm):
        tail = m.group(2)
        if tail.isalpha():  # “京ABCDEF” is not a plate; real ones carry digits
            continue
        yield Span(
            m.start(),
            m.end(),
            "plate",
            f"{m.group(1)}·{'*' * len(tail)}",
            "机动车号牌可识别车辆所有人，仅保留省份和发牌机关代号（G4）",
        )


# --- Organisations (never masked) ----------------------------------------------------------------
# Strong suffixes name an organisation with confidence; a name inside such a name stays even when it
# is a party's (张三丰商行). Weak one-character suffixes (…店, …厂) only stop the segmenter's guesses.
_ORG_STRONG = (
    r"股份有限公司|有限责任公司|有限公司|分公司|子公司|公司|集团|银行|分行|支行|信用社|信用合作社|商行|商店|"
    r"商场|超市|便利店|门市部|经营部|经销部|销售部|服务部|加工部|维修部|批发部|大药房|药房|药店|诊所|医院|"
    r"卫生院|卫生室|酒店|饭店|餐馆|餐厅|宾馆|旅馆|招待所|农家乐|加油站|加气站|幼儿园|学校|中心|合作社|"
    r"工作室|事务所|协会|研究院|研究所|委员会|办事处|管理局|监督局"
)
_ORG_SUFFIX = re.compile(rf"(?P<strong>{_ORG_STRONG})|(?P<weak>[店厂场社馆部站局])")
_WEAK_NOT_BEFORE = set("现市在到当立出进退会全内外局干总本上下中之分一两该此各")  # 现场, 市场, 干部 …
_ORG_CHAR = re.compile(r"[\u4e00-\u9fffA-Za-z（）()·&]")
_ORG_CUT = re.compile(
    r"(?:当事人|经营者|负责人|法定代表人|被检查人|被处罚人|证人|见证人|在场人|驾驶员|驾驶人|司机|员工|店员|"
    r"开办|开设|经营|设立|注册|成立|位于|来自|名为|受雇于|雇佣|委托|担任|前往|进入|现场|"
    r"对|向|与|和|及|的|在|于|系|为|是|由|将|把|从|到|至|被|该|其|即|称|等|并|又|后|时|以|给|让|因|据|经|同|"
    r"说|称|见|去|来|回|进|出|上|下|离|人)"
)
_ORG_NOT_NAME = re.compile(r"^(?:本|该|此|我|贵|上述|涉案|执法|检查|办案|统一|现|市|商|广|农|会|立)$")


def _org_spans(norm: str, *, strong_only: bool = False) -> list[tuple[int, int]]:
    spans = []
    for m in _ORG_SUFFIX.finditer(norm):
        if m.group("weak") and (strong_only or norm[m.start() - 1 : m.start()] in _WEAK_NOT_BEFORE):
            continue
        start = m.start()
        while start > 0 and m.start() - start < 30 and _ORG_CHAR.match(norm[start - 1]):
            start -= 1
        prefix = norm[start : m.start()]
        cut = 0
        for c in _ORG_CUT.finditer(prefix):
            cut = c.end()
        prefix = prefix[cut:]
        if len(prefix) < 2 or _ORG_NOT_NAME.match(prefix):
            continue
        spans.append((start + cut, m.end()))
    return _union(spans)


# --- Addresses -------------------------------------------------------------------------------------
_PERSONAL_ADDRESS = r"家庭住址|家庭地址|现住址|现住所|现住|家住|户籍地址|户籍所在地|户籍地|居住地址|居住地|暂住地|暂住|住址|住处"
_AMBIGUOUS_ADDRESS = r"住所地|住所|联系地址|通讯地址|送达地址|地址"
_ADDRESS_TRIGGER = re.compile(
    rf"(?<!经营|营业|注册|办公|生产|单位|公司|机关|场所)(?:(?P<personal>{_PERSONAL_ADDRESS})|(?P<ambiguous>{_AMBIGUOUS_ADDRESS}))\s*[:：]?\s*(?:为|在|于|是)?\s*"
    r"(?P<body>[^，,。；;、\n\r）)\]】]{2,80})"
)
_DWELLING_RUN = re.compile(r"[\u4e00-\u9fff0-9A-Za-z\-—－#]{6,80}")
_DWELLING_UNIT = re.compile(r"\d+(?:号楼|栋|幢|座|单元|室|户)|[村庄屯组]\d+号")
_ADMIN = re.compile(r"省|自治区|市|州|区|县|旗|镇|乡|街道|路|街|巷|胡同|村|小区|社区|花园|家园|公寓")
_ADDRESS_CUT = re.compile(r"位于|住在|居住在|家住|在|于|至|到|住")
_NATURAL_MARK = re.compile(r"[，,]\s*[男女]\s*[，,]|身份证|出生|民族|法定代表人|负责人|经营者|个人")
_SENTENCE_START = re.compile(r"。|\n\s*\n")  # a party block spans lines; a blank line ends it


def _organisation_context(norm: str, position: int, orgs, credits, natural_names) -> bool:
    """True when the nearest subject before ``position`` in the sentence is an organisation."""
    start = 0
    for m in _SENTENCE_START.finditer(norm, 0, position):
        start = m.end()
    org_end = max(
        (e for s, e in [*orgs, *credits] if start <= s and e <= position),
        default=-1,
    )
    natural_end = max((m.end() for m in _NATURAL_MARK.finditer(norm, start, position)), default=-1)
    for s, e in natural_names:
        if start <= s and e <= position:
            natural_end = max(natural_end, e)
    return org_end > natural_end


def _address_spans(norm: str, orgs, credits, natural_names) -> Iterator[Span]:
    for m in _ADDRESS_TRIGGER.finditer(norm):
        body_start, body_end = m.span("body")
        if not _ADMIN.search(m.group("body")) and not re.search(r"\d", m.group("body")):
            continue  # “住址不详”, “住所地法院” …
        if m.group("ambiguous") and _organisation_context(norm, m.start(), orgs, credits, natural_names):
            continue
        yield Span(body_start, body_end, "address", ADDRESS_MARK, "自然人住址（G8）")
    for run in _DWELLING_RUN.finditer(norm):
        units = list(_DWELLING_UNIT.finditer(run.group()))
        admin = _ADMIN.search(run.group())
        if not units or not admin or admin.start() > units[-1].start():
            continue
        start = 0
        for c in _ADDRESS_CUT.finditer(run.group(), 0, admin.start()):
            start = c.end()
        start += run.start()
        if _organisation_context(norm, start, orgs, credits, natural_names):
            continue
        yield Span(start, run.start() + units[-1].end(), "address", ADDRESS_MARK, "具体到户的住址（G8）")


# --- Names -----------------------------------------------------------------------------------------
_SURNAMES_1 = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
    "姚卢姜崔钟谭陆汪范金石廖贾夏韦付傅方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
    "常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴"
    "霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦麦褚娄窦戚岑"
    "景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩明佘池查麻苑迟邝官"
    "封谈匡鞠惠荆乐冀郁胥南班储原栗燕楚鄢劳谌奚皮粟冼蔺楼盘满闻位厉伊仝区郜阚花权帅屠豆朴盖练廉禹井祖漆巴丰"
    "支卿狄计索宣晋相初门云容敬扈晁芮普阙浦戈伏鹿薄邸雍辜羊乌母裘亓修邰赫杭况那宿鲜印逯隆茹诸战慕危银亢嵇"
    "湛宾戎勾茅利於呼居揭干但尉冶斯元束檀衣信展阴昝智幸奉植衡富尧闭"
)
_SURNAMES_2 = tuple(
    re.findall(
        "..",
        "欧阳司马上官诸葛东方皇甫尉迟公孙慕容长孙宇文司徒夏侯令狐端木独孤南宫西门轩辕百里"
        "呼延万俟申屠澹台公冶太史淳于单于赫连钟离闻人拓跋",
    )
)
# 当事人/经营者/负责人/投资人 are followed by verbs as often as by names: they need a colon.
_NAME_TRIGGER = re.compile(
    r"(?P<role>(?:当事人|经营者|负责人|投资人)(?=\s*[:：])|证人|见证人|在场人|旁证人|法定代表人|委托代理人|代理人|受托人|"
    r"妻子|丈夫|配偶|父亲|母亲|儿子|女儿|之子|之女|亲属|家属|雇员|员工|店员|职工|工人|收银员|营业员|厨师|"
    r"驾驶员|驾驶人|司机|车主|乘客|业主|户主|房东|租户|承租人|出租人|联系人|举报人|投诉人|购买人|消费者|"
    r"被询问人|被检查人|陪同人)"
    r"(?:（[^）]{0,10}）)?\s*[:：]?\s*(?:为|是|系)?\s*"
)
_NAME_CHARS = re.compile(r"[\u4e00-\u9fff·]+")


def surname_of(name: str) -> str:
    for compound in _SURNAMES_2:
        if name.startswith(compound) and len(name) > 2:
            return compound
    return name[:1]


def mask_name(name: str) -> str:
    """G4: 姓 + one 某 per remaining character, at most two (张三 → 张某, 王小明 → 王某某)."""
    name = name.strip()
    if "·" in name:  # transliterated names (买买提·艾力): first character only
        return name[0] + "某某"
    surname = surname_of(name)
    return surname + "某" * max(1, min(2, len(name) - len(surname)))


# jieba's dictionary tags words such as 安全法 or 银行卡 as names; real names rarely end like these.
_NOT_NAME_END = set(
    "法卡证局厅处科室部省市区县镇乡村路街号费款元单书表函令品物类量率额者性化期日年月时分秒件项条章节则"
    "院所站店厂场行业库价税金险照机车船网线点面内外上下前后门口道楼馆园港湾岛桥队组会社团校师员工长官们"
)


def _looks_like_name(word: str) -> bool:
    if not 2 <= len(word) <= 4 or "某" in word or not _NAME_CHARS.fullmatch(word):
        return False
    if word[-1] in _NOT_NAME_END or (len(word) == 2 and word[0] == word[1]):  # 谢谢, 安全法
        return False
    surname = surname_of(word)
    return (surname in _SURNAMES_2 or surname in _SURNAMES_1) and len(word) > len(surname)


def _literal_spans(norm: str, needles: Iterable[str]) -> Iterator[tuple[int, int, str]]:
    for needle in sorted({n.strip() for n in needles if n and n.strip()}, key=len, reverse=True):
        needle_norm = _normalise(needle)
        for m in re.finditer(re.escape(needle_norm), norm):
            yield m.start(), m.end(), needle


@cache
def _pos_tokenizer():
    import logging

    import jieba
    import jieba.posseg

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.posseg.dt, jieba.dt.FREQ


def warm_up() -> None:
    """Load the segmenter's dictionary and models now (a web worker calls this when it starts)."""
    _pos_tokenizer()


_RARE = 10  # jieba's dictionary tags common words (陈述 763, 谢谢 1089) as names; real ones are rare


def _jieba_names(norm: str, offset: int = 0) -> Iterator[tuple[int, int]]:
    """Person names tagged ``nr*`` by jieba; a one-character surname joins the given name after it.

    Only words jieba found by its HMM (not in its dictionary) or rare dictionary entries count: the
    dictionary's frequent ``nr`` entries are mostly ordinary words and famous people."""
    tokenizer, freq = _pos_tokenizer()

    def unknown(word):
        return (freq.get(word) or 0) <= _RARE

    tokens, position = [], offset
    for pair in tokenizer.cut(norm):
        tokens.append((position, pair.word, pair.flag))
        position += len(pair.word)
    i = 0
    while i < len(tokens):
        start, word, flag = tokens[i]
        if flag.startswith("nr"):
            if len(word) == 1 and i + 1 < len(tokens) and 1 <= len(tokens[i + 1][1]) <= 2:
                nxt = tokens[i + 1]
                given_name = nxt[2].startswith("nr") or (nxt[2] in ("n", "ng") and len(nxt[1]) == 2)
                if given_name and _looks_like_name(word + nxt[1]) and unknown(word + nxt[1]):
                    yield start, start + len(word) + len(nxt[1])
                    i += 2
                    continue
            if _looks_like_name(word) and unknown(word):
                yield start, start + len(word)
        i += 1


_NOT_GIVEN = {"v", "vn", "vd", "p", "d", "c", "u", "uj", "ul", "uz", "r", "x", "f"}


def _triggered_names(norm: str) -> Iterator[tuple[int, int, str]]:
    """A name right after a role word (证人李红梅, 法定代表人：周志强): segment what follows on its own."""
    tokenizer, freq = _pos_tokenizer()
    for m in _NAME_TRIGGER.finditer(norm):
        window = norm[m.end() : m.end() + 8]
        lead = _NAME_CHARS.match(window)
        if not lead:
            continue
        pairs = list(tokenizer.cut(lead.group()))
        first, second = pairs[0], pairs[1] if len(pairs) > 1 else None
        if len(first.word) == 1 and second and len(second.word) <= 2 and second.flag not in _NOT_GIVEN:
            word = first.word + second.word  # 李 + 红梅, 钱 + 多多
        elif first.flag.startswith("nr") or first.word not in freq:
            word = first.word  # a tagged name, or a word jieba's dictionary does not know
        else:
            continue  # a common word: 证人证言, 经营者：本人 …
        if _looks_like_name(word):
            yield m.end(), m.end() + len(word), m.group("role")


# --- Assembly -------------------------------------------------------------------------------------
def _union(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[list[int]] = []
    for s, e in sorted(spans):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    return [(s, e) for s, e in merged]


def _overlaps(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in others)


def _inside(span: tuple[int, int], others: Iterable[tuple[int, int]]) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in others)


def _manual_spans(norm: str, text: str, manual) -> Iterator[Span]:
    for item in manual:
        if isinstance(item, str):
            for s, e, _ in _literal_spans(norm, [item]):
                yield Span(s, e, "manual", MANUAL_MARK, "审核人手动隐去（G4）")
            continue
        start, end = int(item[0]), int(item[1])
        if not 0 <= start < end <= len(text):
            raise ValueError(f"手动隐去的位置 {start}–{end} 超出文本范围（共{len(text)}字）。")
        yield Span(start, end, "manual", MANUAL_MARK, "审核人手动隐去（G4）")


def _merge(spans: list[Span], text: str) -> tuple[Change, ...]:
    """Overlapping spans become one change covering their union; the longest (then most specific) names it."""
    groups: list[list[Span]] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if groups and span.start < max(s.end for s in groups[-1]):
            groups[-1].append(span)
        else:
            groups.append([span])
    changes, shift = [], 0
    for group in groups:
        start, end = min(s.start for s in group), max(s.end for s in group)
        winner = min(group, key=lambda s: (s.kind != "manual", -(s.end - s.start), _PRIORITY[s.kind]))
        replacement = winner.replacement
        if winner.kind == "plate" and (winner.start, winner.end) != (start, end):
            replacement = winner.replacement + "*" * ((end - start) - (winner.end - winner.start))
        kinds = tuple(dict.fromkeys(s.kind for s in group if s.kind != winner.kind))
        new_start = start + shift
        changes.append(
            Change(
                start=start,
                end=end,
                original=text[start:end],
                replacement=replacement,
                kind=winner.kind,
                reason=winner.reason,
                new_start=new_start,
                new_end=new_start + len(replacement),
                merged_kinds=kinds,
            )
        )
        shift += len(replacement) - (end - start)
    return tuple(changes)


def redact(
    text: str,
    *,
    party_names: Iterable[str] = (),
    other_names: Iterable[str] = (),
    keep: Iterable[str] = (),
    manual: Iterable[str | tuple[int, int]] = (),
    detect_names: bool = True,
) -> Redaction:
    """Redact a text for publication (G4, G8).

    ``party_names``: the punished natural persons (and 个体工商户 operators), masked as 张某/王某某.
    ``other_names``: every other natural person known to the case, removed.
    ``keep``: literal strings that stay (执法人员 names, a legal person's 法定代表人, agency
    phone lines, company names); they never protect a 身份证号 or a mobile number.
    ``manual``: (start, end) positions in ``text`` or literal strings the approver adds.
    """
    text = text or ""
    party_names, other_names, keep, manual = (list(x) for x in (party_names, other_names, keep, manual))
    norm = _normalise(text)
    credits = _credit_codes(norm)
    credit_set = set(credits)
    registrations = [(m.start(1), m.end(1)) for m in _REG_CODE.finditer(norm)]
    orgs = _org_spans(norm)
    strong_orgs = _org_spans(norm, strong_only=True)
    keeps = [(s, e) for s, e, _ in _literal_spans(norm, keep)]
    kept = [Kept(s, e, text[s:e], "credit_code", "统一社会信用代码公开（G10）") for s, e in credits]
    kept += [Kept(s, e, text[s:e], "organisation", "单位名称公开（G10）") for s, e in strong_orgs]
    kept += [Kept(s, e, text[s:e], "keep", "指定保留（执法人员等公开信息）") for s, e in keeps]

    shielded = keeps + credits + registrations  # protects everything but the floor kinds
    spans: list[Span] = list(_id_spans(norm, credit_set))
    for span, is_mobile in _phone_spans(norm):
        if is_mobile or not _overlaps((span.start, span.end), shielded):
            spans.append(span)
    for span in [*_bank_spans(norm), *_email_spans(norm), *_plate_spans(norm)]:
        if not _overlaps((span.start, span.end), shielded):
            spans.append(span)

    names_shield = shielded + orgs
    known_shield = shielded + strong_orgs
    known = []
    for s, e, name in _literal_spans(norm, party_names):
        if not _inside((s, e), known_shield):
            known.append((s, e))
            spans.append(Span(s, e, "party_name", mask_name(name), "被处罚自然人姓名隐去名，仅保留姓（G4）"))
    for s, e, _ in _literal_spans(norm, other_names):
        if not _inside((s, e), known_shield):
            known.append((s, e))
            spans.append(Span(s, e, "person_name", NAME_MARK, "被处罚人以外的自然人姓名（G8）"))
    if detect_names:
        for s, e, role in _triggered_names(norm):
            if _overlaps((s, e), known_shield) or _overlaps((s, e), known):
                continue
            if role in ("当事人", "经营者", "投资人"):
                spans.append(Span(s, e, "party_name", mask_name(text[s:e]), f"“{role}”后的自然人姓名（G4）"))
            else:
                spans.append(Span(s, e, "person_name", NAME_MARK, f"“{role}”后的自然人姓名（G8）"))
            known.append((s, e))
        for s, e in _jieba_names(norm):
            if not _overlaps((s, e), names_shield) and not _overlaps((s, e), known):
                spans.append(Span(s, e, "person_name", NAME_MARK, "分词识别的自然人姓名（G8）"))

    natural = [(s.start, s.end) for s in spans if s.kind in ("party_name", "person_name")]
    for span in _address_spans(norm, orgs, credits, natural):
        blockers = [s for s, e in keeps + credits if span.start < e and s < span.end]
        if blockers:  # an address never swallows a credit code or a kept string: it stops before it
            span = Span(span.start, min(blockers), span.kind, span.replacement, span.reason)
        if span.end - span.start >= 2:
            spans.append(span)
    spans.extend(_manual_spans(norm, text, manual))

    changes = _merge(spans, text)
    pieces, position = [], 0
    for change in changes:
        pieces += [text[position : change.start], change.replacement]
        position = change.end
    pieces.append(text[position:])
    changed = [(c.start, c.end) for c in changes]
    kept = [k for k in kept if not _overlaps((k.start, k.end), changed)]
    return Redaction(
        original=text, text="".join(pieces), changes=changes, kept=tuple(sorted(kept, key=lambda k: k.start))
    )


# --- Structured party fields (G4, G7, G8, G10) ----------------------------------------------------
CATEGORY_LABELS = {
    "natural_person": "自然人",
    "individual_business": "个体工商户",
    "legal_person": "法人及非法人组织",
    "unincorporated": "法人及非法人组织",
}


def public_party(
    party_kind: str,
    name: str,
    *,
    is_minor: bool,
    credit_code: str = "",
    legal_representative: str = "",
    id_number: str = "",
    decided_on: date | None = None,
) -> dict | None:
    """The publishable fields of one punished party, in the 双公示 layout (G10), or None.

    * G7: a minor (``is_minor``, or under 18 on ``decided_on`` by the 身份证号) is never published.
    * G4/G8: a natural person appears as 姓+某; ID type/number, phone and address never appear.
    * G10: a 个体工商户 appears under its business name with its 统一社会信用代码; its operator is a
      natural person, so the operator's name is masked (G4). A 个体工商户 without a business name
      appears under the operator's masked name.
    * G10: a 法人/非法人组织 appears with its name, 统一社会信用代码 and 法定代表人/负责人's name
      (the name is public in 双公示; the representative's ID number is not).
    """
    if party_kind not in CATEGORY_LABELS:
        raise ValueError(f"未知的当事人类别“{party_kind}”。")
    name, representative = (name or "").strip(), (legal_representative or "").strip()
    natural = party_kind in ("natural_person", "individual_business")
    if natural and (is_minor or _minor_by_id(id_number, decided_on)):
        return None
    public = {"kind": party_kind, "category": CATEGORY_LABELS[party_kind]}
    if party_kind == "natural_person":
        return public | {"name": mask_name(name), "credit_code": "", "legal_representative": ""}
    if party_kind == "individual_business":
        shown = mask_name(name) if not name or name == representative or _looks_like_name(name) else name
        return public | {
            "name": shown,
            "credit_code": (credit_code or "").strip().upper(),
            "legal_representative": mask_name(representative) if representative else "",
        }
    return public | {
        "name": name,
        "credit_code": (credit_code or "").strip().upper(),
        "legal_representative": representative,
    }


def _minor_by_id(id_number: str, on: date | None) -> bool:
    number = (id_number or "").strip().upper()
    if on is None or len(number) != 18 or not _plausible_birth(number, 18):
        return False
    return age_on(number, on) < 18


def redaction_names(parties: Iterable) -> dict[str, list[str]]:
    """``party_names`` and ``keep`` for :func:`redact` from a case's parties (objects with ``kind``,
    ``name`` and ``legal_representative``, like ``cases.Party``).

    Natural persons and 个体工商户 operators are masked (G4); a 法人/非法人组织's name and its
    法定代表人/负责人 stay (G10). Witnesses and other persons go to ``other_names`` by the caller.
    """
    party_names, keep = [], []
    for party in parties:
        kind, name = party.kind, (party.name or "").strip()
        representative = (party.legal_representative or "").strip()
        if kind == "natural_person":
            party_names.append(name)
        elif kind == "individual_business":
            party_names += [n for n in (representative,) if n]
            if name and name != representative and not _looks_like_name(name):
                keep.append(name)
            elif name:
                party_names.append(name)
        else:
            keep += [n for n in (name, representative) if n]
    return {"party_names": party_names, "keep": keep}
