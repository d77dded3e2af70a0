"""The registry of 文书 kinds: names, 文号 abbreviations, the context each template is given, and a
realistic sample of that context (for previews, for validating uploaded templates, and for tests).

The context is plain data built by the case engine from case data. Every kind receives the
common blocks (``agency``, ``case``, ``parties``, ``officers``) plus the blocks it lists;
``document`` (文号, date, name) and ``remedy.text`` are filled in by
:func:`zhifa.records.services.complete_context`, never by the caller. Dates are ``datetime.date``
(or ``datetime`` where a time matters), money is ``Decimal``; templates format them with the
filters of :mod:`zhifa.records.formatting`.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from zhifa.core.rules import credit_code_check_char, id_number_check_char

from . import rules

CITATION = {
    "citation": "法条名称及条款项，如《中华人民共和国食品安全法》第三十四条第（十）项",
    "text": "条文内容",
}
ITEM = {"name": "物品名称", "spec": "规格（型号）", "quantity": "数量及单位", "note": "备注"}
APPROVAL = {"stage": "审批环节，如 承办人意见", "opinion": "意见", "signer": "签名", "date": "日期"}
UTTERANCE = {"speaker": "发言人（笔录中为“问”或“答”）", "text": "内容"}

# Each block: a leaf is the Chinese description of one value; [dict] is a list of such rows;
# [str] a list of strings.
SCHEMA: dict[str, object] = {
    "agency": {
        "name": "执法主体名称",
        "short_name": "简称（用于文号）",
        "address": "地址",
        "credit_code": "统一社会信用代码",
        "phone": "联系电话",
    },
    "case": {
        "number": "案号",
        "cause": "案由（如“经营超过保质期的食品”，模板在其后写“一案”）",
        "filed_on": "立案日期",
        "source": "案件来源",
    },
    "parties": [
        {
            "kind": "当事人类别（自然人、法人、非法人组织、个体工商户）",
            "name": "姓名或者名称",
            "id_type": "证件类型（居民身份证、统一社会信用代码等）",
            "id_number": "证件号码",
            "address": "住所（住址）",
            "legal_representative": "法定代表人（负责人）；自然人为空",
            "phone": "联系电话",
        }
    ],
    "officers": [{"name": "执法人员姓名", "certificate_number": "执法证件号码"}],
    "document": {
        "name": "文书名称（系统填写）",
        "number": "文号（系统编号；无文号的文书为空）",
        "date": "文书日期（系统填写）",
    },
    "facts": "违法事实（或调查认定的事实）",
    "evidence": ["证据名称及证明事项"],
    "violated": [CITATION],
    "penalty": {
        "kinds": ["处罚种类，如 警告、罚款、没收违法所得"],
        "content": "处罚内容（完整表述）",
        "fine": "罚款金额（元，Decimal；无罚款时为空）",
        "confiscation": "没收违法所得、非法财物的内容（无则为空）",
        "basis": [CITATION],
        "discretion": "裁量理由（适用的裁量基准及情节）",
        "payment_due_days": "罚款缴纳期限（日，处罚法第六十七条为十五日）",
        "payment_method": "缴纳方式（指定银行、账户或电子支付系统）",
    },
    "remedy": {
        "reconsideration_organ": "行政复议机关（如 示范市人民政府）",
        "court": "管辖的人民法院",
        "text": "救济途径（系统按程序生成，当场处罚为复议前置表述）",
    },
    "rights": {
        "statement_days": "陈述、申辩期限（工作日）",
        "hearing_offered": "是否告知听证权利（真/假）",
        "hearing_request_days": "要求听证期限（工作日，处罚法第六十四条为五日）",
        "contact": "联系人及联系电话",
    },
    "proceedings": "告知、陈述申辩、听证、法制审核等程序情况",
    "filing": {
        "received_on": "线索受理日期",
        "summary": "简要案情",
        "reason": "立案理由及依据",
    },
    "approvals": [APPROVAL],
    "inspection": {
        "started_at": "检查开始时间",
        "ended_at": "检查结束时间",
        "place": "检查地点",
        "present": "在场人（姓名、身份或职务）",
        "recusal": "当事人是否申请回避",
        "content": "检查情况",
    },
    "inquiry": {
        "started_at": "询问开始时间",
        "ended_at": "询问结束时间",
        "place": "询问地点",
        "recusal": "被询问人是否申请回避",
        "interviewee": {
            "name": "被询问人姓名",
            "gender": "性别",
            "id_type": "证件类型",
            "id_number": "证件号码",
            "work_unit": "工作单位",
            "position": "职务",
            "phone": "联系电话",
            "address": "住址",
        },
    },
    "transcript": [UTTERANCE],
    "recorder": "记录人",
    "preservation": {
        "reason": "先行登记保存的理由",
        "goods": [ITEM],
        "place": "保存地点",
        "keeper": "保存人",
        "start_on": "保存起始日期",
        "end_on": "应当作出处理决定的日期（七个工作日内）",
    },
    "seizure": {
        "measure": "措施（查封、扣押）",
        "reason": "理由",
        "basis": [CITATION],
        "goods": [ITEM],
        "place": "查封场所或者扣押财物存放地点",
        "days": "期限（日，强制法第二十五条不超过三十日）",
        "start_on": "期限起始日期",
        "end_on": "期限届满日期",
        "original_number": "原查封（扣押）决定书文号（延期时）",
        "original_date": "原决定日期（延期时）",
        "extension_days": "延长天数（不超过三十日）",
        "new_end_on": "延长后的届满日期",
        "extension_reason": "延长理由",
    },
    "hearing": {
        "requested_on": "当事人要求听证的日期",
        "held_at": "听证时间",
        "ended_at": "听证结束时间",
        "place": "听证地点",
        "host": "听证主持人",
        "clerk": "书记员",
        "public": "是否公开举行（真/假）",
        "reason_not_public": "不公开的理由",
        "investigators": ["案件调查人员"],
        "attendees": ["当事人及其委托代理人"],
    },
    "discussion": {
        "held_at": "讨论时间",
        "place": "地点",
        "host": "主持人",
        "attendees": ["出席人员（姓名、职务）"],
        "recorder": "记录人",
        "summary": "案情及调查终结情况",
        "review_opinion": "法制审核意见",
        "opinions": [UTTERANCE],
        "conclusion": "讨论决定",
    },
    "on_site": {"time": "当场处罚时间", "place": "当场处罚地点"},
    "no_penalty": {
        "reason": "不予处罚的理由",
        "basis": [CITATION],
        "education": "对当事人进行教育的情况（违法事实不成立时为空）",
    },
    "service": {
        "document_name": "送达文书名称",
        "document_number": "送达文书文号",
        "recipient": "受送达人",
        "place": "送达地点",
        "method": "送达方式（直接送达、留置送达、邮寄送达等）",
        "served_at": "送达时间",
        "servers": ["送达人"],
        "note": "备注（拒收情形、见证人等）",
    },
    "demand": {
        "decision_number": "行政决定文书文号",
        "decision_date": "行政决定日期",
        "obligation": "应当履行的义务",
        "amount": "应缴罚款金额（元，Decimal；非金钱给付为空）",
        "surcharge": "加处罚款金额（元，Decimal；无则为空）",
        "method": "履行方式（金钱给付的给付方式）",
        "due_days": "履行期限（工作日）",
    },
    "closing": {
        "summary": "案件办理情况",
        "result": "处理结果",
        "execution": "执行情况",
        "reason": "结案理由",
    },
    "legal_review": {
        "round": "审核轮次",
        "submitted_on": "送审日期",
        "submitted_by": "送审人",
        "outcome": "拟作出的决定",
        "proposal": "拟处理意见",
        "reasons": ["需要法制审核的情形"],
        "checks": [{"label": "审核要点", "result": "结论（通过、存在问题）", "comment": "意见"}],
        "opinion": "审核结论（同意、存在问题、补充材料）",
        "text": "审核意见",
        "supplement_due": "补充材料期限（无则为空）",
        "reviewer": "审核人员",
        "reviewed_on": "审核日期",
    },
}

COMMON_BLOCKS = ("agency", "case", "parties", "officers", "document")
FILLED_BY_SERVICE = ("document", "remedy.text")


@dataclass(frozen=True)
class DocumentKind:
    code: str
    name: str
    abbreviation: str  # default 文号 代字; "" for records that carry no 文号 (笔录, 表, 回证)
    blocks: tuple[str, ...]
    basis: str
    shows: tuple[str, ...] = field(default=())  # sample values the output must contain

    @property
    def numbered(self) -> bool:
        return bool(self.abbreviation)

    @property
    def has_remedy(self) -> bool:
        return self.code in rules.REMEDY_KINDS

    @property
    def context_keys(self) -> tuple[str, ...]:
        return COMMON_BLOCKS + self.blocks

    def schema(self) -> dict:
        return {key: SCHEMA[key] for key in self.context_keys}

    def required_text_paths(self) -> tuple[str, ...]:
        """Paths whose values must appear in every rendering, whoever wrote the template."""
        paths = ["agency.name", "document.name", *self.shows]
        if self.numbered:
            paths.append("document.number")
        if self.has_remedy:
            paths.append("remedy.text")
        return tuple(paths)

    def sample(self) -> dict:
        """The sample context as the case engine would supply it (without ``document``)."""
        context = {key: copy.deepcopy(SAMPLE[key]) for key in self.context_keys if key != "document"}
        context.update(copy.deepcopy(SAMPLE_OVERRIDES.get(self.code, {})))
        return context


def _kind(code, name, abbreviation, blocks, basis, shows=()):
    return DocumentKind(code, name, abbreviation, tuple(blocks), basis, tuple(shows))


KINDS: dict[str, DocumentKind] = {
    kind.code: kind
    for kind in [
        _kind(
            "filing_approval",
            "立案审批表",
            "",
            ["filing", "violated", "approvals"],
            "《中华人民共和国行政处罚法》第五十四条",
            ["case.number", "case.cause", "filing.summary", "approvals.2.opinion"],
        ),
        _kind(
            "inspection_record",
            "现场检查笔录",
            "",
            ["inspection", "recorder"],
            "《中华人民共和国行政处罚法》第四十二条、第五十五条",
            ["inspection.content", "officers.1.certificate_number"],
        ),
        _kind(
            "inquiry_record",
            "询问笔录",
            "",
            ["inquiry", "transcript", "recorder"],
            "《中华人民共和国行政处罚法》第四十二条、第五十五条",
            ["inquiry.interviewee.name", "transcript.1.text"],
        ),
        _kind(
            "preservation_notice",
            "先行登记保存证据通知书",
            "登保",
            ["preservation"],
            "《中华人民共和国行政处罚法》第五十六条",
            ["preservation.goods.0.name", "preservation.place"],
        ),
        _kind(
            "seizure_decision",
            "查封（扣押）决定书",
            "封扣",
            ["seizure", "remedy"],
            "《中华人民共和国行政强制法》第十八条、第二十四条、第二十五条",
            ["seizure.reason", "seizure.basis.0.citation", "seizure.goods.0.name"],
        ),
        _kind(
            "seizure_extension_notice",
            "延长查封（扣押）期限通知书",
            "延封",
            ["seizure", "remedy"],
            "《中华人民共和国行政强制法》第二十五条",
            ["seizure.original_number", "seizure.extension_reason"],
        ),
        _kind(
            "penalty_notice",
            "行政处罚事先告知书",
            "罚告",
            ["facts", "evidence", "violated", "penalty", "rights"],
            "《中华人民共和国行政处罚法》第四十四条、第四十五条、第六十三条、第六十四条",
            ["facts", "violated.0.citation", "penalty.basis.0.citation", "penalty.content"],
        ),
        _kind(
            "hearing_rights_notice",
            "行政处罚听证告知书",
            "听告",
            ["facts", "violated", "penalty", "rights"],
            "《中华人民共和国行政处罚法》第六十三条、第六十四条",
            ["penalty.content", "penalty.basis.0.citation"],
        ),
        _kind(
            "hearing_notice",
            "行政处罚听证通知书",
            "听通",
            ["hearing"],
            "《中华人民共和国行政处罚法》第六十四条",
            ["hearing.place", "hearing.host"],
        ),
        _kind(
            "hearing_record",
            "听证笔录",
            "",
            ["hearing", "transcript"],
            "《中华人民共和国行政处罚法》第六十四条",
            ["hearing.host", "transcript.1.text"],
        ),
        _kind(
            "collective_discussion",
            "重大案件集体讨论记录",
            "",
            ["discussion"],
            "《中华人民共和国行政处罚法》第五十七条第二款",
            ["discussion.conclusion", "discussion.opinions.0.text"],
        ),
        _kind(
            "penalty_decision",
            "行政处罚决定书",
            "罚决",
            ["facts", "evidence", "violated", "penalty", "proceedings", "remedy"],
            "《中华人民共和国行政处罚法》第五十七条、第五十九条",
            [
                "parties.0.name",
                "parties.0.address",
                "facts",
                "evidence.0",
                "violated.0.citation",
                "penalty.basis.0.citation",
                "penalty.content",
                "penalty.payment_method",
            ],
        ),
        _kind(
            "summary_penalty_decision",
            "当场行政处罚决定书",
            "罚当",
            ["on_site", "facts", "violated", "penalty", "remedy"],
            "《中华人民共和国行政处罚法》第五十一条、第五十二条",
            ["parties.0.name", "facts", "penalty.basis.0.citation", "on_site.place"],
        ),
        _kind(
            "no_penalty_decision",
            "不予行政处罚决定书",
            "不罚",
            ["facts", "evidence", "no_penalty", "remedy"],
            "《中华人民共和国行政处罚法》第三十三条、第五十七条",
            ["parties.0.name", "facts", "no_penalty.reason", "no_penalty.basis.0.citation"],
        ),
        _kind(
            "service_receipt",
            "送达回证",
            "",
            ["service"],
            "《中华人民共和国行政处罚法》第六十一条；《中华人民共和国民事诉讼法》第八十七条",
            ["service.document_name", "service.recipient"],
        ),
        _kind(
            "demand_notice",
            "催告书",
            "催告",
            ["demand"],
            "《中华人民共和国行政强制法》第三十五条、第五十四条",
            ["demand.decision_number", "demand.obligation"],
        ),
        _kind(
            "closing_report",
            "结案报告",
            "",
            ["closing", "approvals"],
            "《中华人民共和国行政处罚法》第四十七条",
            ["closing.result", "closing.reason"],
        ),
        _kind(
            "legal_review_opinion",
            "重大执法决定法制审核意见书",
            "法审",
            ["legal_review"],
            "《中华人民共和国行政处罚法》第五十八条",
            ["legal_review.opinion", "legal_review.text", "legal_review.checks.4.comment"],
        ),
    ]
}

KIND_CHOICES = [(kind.code, kind.name) for kind in KINDS.values()]


def get_kind(code: str) -> DocumentKind:
    try:
        return KINDS[code]
    except KeyError:
        raise KeyError(f"未知的文书种类：{code}") from None


# --- Checking a context against the schema -------------------------------------------------
def missing_keys(kind: DocumentKind, context: dict) -> list[str]:
    """Paths of the schema that the context lacks (``document`` is the service's to fill)."""
    missing: list[str] = []
    for key in kind.context_keys:
        if key == "document":
            continue
        if key not in context:
            missing.append(key)
            continue
        _walk(SCHEMA[key], context[key], key, missing)
    return [path for path in missing if path != "remedy.text"]


def _walk(spec, value, path: str, missing: list[str]) -> None:
    if isinstance(spec, dict):
        if not isinstance(value, dict):
            missing.append(path)
            return
        for name, sub in spec.items():
            if name not in value:
                missing.append(f"{path}.{name}")
            else:
                _walk(sub, value[name], f"{path}.{name}", missing)
    elif isinstance(spec, list):
        if not isinstance(value, list | tuple):
            missing.append(path)
            return
        for index, row in enumerate(value):
            _walk(spec[0], row, f"{path}.{index}", missing)


def lookup(context: dict, path: str):
    """``lookup(ctx, "parties.0.name")``."""
    value = context
    for part in path.split("."):
        value = value[int(part)] if isinstance(value, list | tuple) else value[part]
    return value


def schema_rows(kind: DocumentKind) -> list[tuple[str, str]]:
    """(Jinja expression, description) for every value the template may use, for the admin page."""
    rows: list[tuple[str, str]] = []

    def visit(spec, path):
        if isinstance(spec, dict):
            for name, sub in spec.items():
                visit(sub, f"{path}.{name}")
        elif isinstance(spec, list) and isinstance(spec[0], dict):
            rows.append((path, "列表：{%p for x in " + path + " %} … {%p endfor %} 逐项输出，x 的字段见下"))
            visit(spec[0], "x")
        elif isinstance(spec, list):
            rows.append(
                (path, f'文字列表（{spec[0]}）：逐项输出用 {{%p for x in {path} %}}，合并输出用 |join("、")')
            )
        else:
            rows.append((path, spec))

    for key in kind.context_keys:
        visit(SCHEMA[key], key)
    return rows


# --- The sample context -----------------------------------------------------------------------
_TZ = ZoneInfo("Asia/Shanghai")
_COMPANY_CODE = "91379900MA3C5XKQ0" + credit_code_check_char("91379900MA3C5XKQ0")
_AGENCY_CODE = "11379900000000001" + credit_code_check_char("11379900000000001")
_ID = "37990019850312002"
_PERSON_ID = _ID + id_number_check_char(_ID)
_FOOD_34 = {
    "citation": "《中华人民共和国食品安全法》第三十四条第（十）项",
    "text": "禁止生产经营下列食品、食品添加剂、食品相关产品：……（十）标注虚假生产日期、保质期或者超过保质期的食品、食品添加剂；",
}
_FOOD_124 = {
    "citation": "《中华人民共和国食品安全法》第一百二十四条第一款第（五）项",
    "text": (
        "违反本法规定，有下列情形之一，尚不构成犯罪的，由县级以上人民政府食品安全监督管理部门没收违法所得和"
        "违法生产经营的食品、食品添加剂，并可以没收用于违法生产经营的工具、设备、原料等物品；违法生产经营的"
        "食品、食品添加剂货值金额不足一万元的，并处五万元以上十万元以下罚款……（五）生产经营标注虚假生产日期、"
        "保质期或者超过保质期的食品、食品添加剂；"
    ),
}
_SEIZED = [
    {
        "name": "“鲜味牌”酱牛肉（保质期至2026年10月30日）",
        "spec": "250克/袋",
        "quantity": "36袋",
        "note": "冷柜存放",
    },
    {"name": "“鲜味牌”卤鸡爪（保质期至2026年10月28日）", "spec": "300克/袋", "quantity": "24袋", "note": ""},
]

SAMPLE: dict[str, object] = {
    "agency": {
        "name": "示范市市场监督管理局",
        "short_name": "示市监",
        "address": "示范市历山路88号",
        "credit_code": _AGENCY_CODE,
        "phone": "0531-12345678",
    },
    "case": {
        "number": "示市监立〔2026〕15号",
        "cause": "经营超过保质期的食品",
        "filed_on": date(2026, 11, 3),
        "source": "投诉举报",
    },
    "parties": [
        {
            "kind": "法人",
            "name": "示范市好味道餐饮管理有限公司",
            "id_type": "统一社会信用代码",
            "id_number": _COMPANY_CODE,
            "address": "示范市东城区泉城路166号",
            "legal_representative": "王建国",
            "phone": "13905310001",
        }
    ],
    "officers": [
        {"name": "张明", "certificate_number": "37990021001"},
        {"name": "李华", "certificate_number": "37990021002"},
    ],
    "facts": (
        "2026年11月2日，本局执法人员对当事人位于示范市东城区泉城路166号的经营场所进行检查，发现其冷柜内"
        "存放待售的“鲜味牌”酱牛肉36袋、卤鸡爪24袋已超过标注的保质期。经调查，当事人自2026年10月20日起购进"
        "上述食品，共计购进酱牛肉60袋、卤鸡爪40袋，已售出酱牛肉24袋、卤鸡爪16袋，违法所得人民币960.00元，"
        "上述食品货值金额共计人民币2560.00元"
    ),
    "evidence": [
        "现场检查笔录1份、现场照片6张，证明当事人经营场所存放超过保质期食品的事实",
        "询问笔录1份，证明当事人购进、销售上述食品的经过及数量",
        "进货单据及销售记录复印件各1份，证明违法所得及货值金额",
        "当事人营业执照、食品经营许可证复印件各1份，证明当事人主体资格",
    ],
    "violated": [_FOOD_34],
    "penalty": {
        "kinds": ["没收违法所得", "没收非法财物", "罚款"],
        "content": (
            "1.没收违法所得人民币960.00元；2.没收超过保质期的“鲜味牌”酱牛肉36袋、卤鸡爪24袋；"
            "3.罚款人民币捌万元整（80000.00元）"
        ),
        "fine": Decimal("80000.00"),
        "confiscation": "没收违法所得人民币960.00元及超过保质期的食品60袋",
        "basis": [_FOOD_124],
        "discretion": "当事人货值金额不足一万元，经营超过保质期的食品时间较长且涉及熟食品种，依照《示范市市场监督管理行政处罚裁量基准》属一般情形",
        "payment_due_days": 15,
        "payment_method": "持本决定书到示范市农商银行各营业网点缴纳，或者通过“山东省非税收入电子缴款”平台缴纳",
    },
    "remedy": {"reconsideration_organ": "示范市人民政府", "court": "示范市东城区人民法院"},
    "rights": {
        "statement_days": 5,
        "hearing_offered": True,
        "hearing_request_days": 5,
        "contact": "张明，0531-12345678",
    },
    "proceedings": (
        "本局于2026年11月20日向当事人送达了示市监罚告〔2026〕8号《行政处罚事先告知书》，告知其拟作出行政处罚的"
        "内容及事实、理由、依据，以及依法享有的陈述、申辩和要求听证的权利。当事人在法定期限内提出了陈述、申辩，"
        "未要求听证。本局对其陈述、申辩进行了复核，当事人提出的事实、理由和证据不成立，不予采纳。本案经法制审核，审核意见为同意"
    ),
    "filing": {
        "received_on": date(2026, 11, 2),
        "summary": "消费者投诉称在示范市好味道餐饮管理有限公司购买的酱牛肉已过保质期。执法人员现场检查，发现该公司冷柜内存放待售的超过保质期的熟食60袋。",
        "reason": "当事人涉嫌经营超过保质期的食品，违反《中华人民共和国食品安全法》第三十四条第（十）项的规定，符合立案条件",
    },
    "approvals": [
        {
            "stage": "承办人意见",
            "opinion": "建议立案调查。",
            "signer": "张明、李华",
            "date": date(2026, 11, 2),
        },
        {
            "stage": "承办机构负责人意见",
            "opinion": "同意立案，由张明、李华承办。",
            "signer": "赵刚",
            "date": date(2026, 11, 3),
        },
        {
            "stage": "机关负责人意见",
            "opinion": "同意立案调查。",
            "signer": "孙立平",
            "date": date(2026, 11, 3),
        },
    ],
    "inspection": {
        "started_at": datetime(2026, 11, 2, 9, 30, tzinfo=_TZ),
        "ended_at": datetime(2026, 11, 2, 10, 40, tzinfo=_TZ),
        "place": "示范市东城区泉城路166号当事人经营场所",
        "present": "王建国（当事人法定代表人）",
        "recusal": "不申请回避",
        "content": "当事人经营场所后厨南侧冷柜内存放待售的“鲜味牌”酱牛肉36袋、卤鸡爪24袋，标注保质期分别至2026年10月30日、10月28日，均已超过保质期。执法人员对现场进行了拍照，并对上述食品予以扣押。",
    },
    "inquiry": {
        "started_at": datetime(2026, 11, 4, 14, 0, tzinfo=_TZ),
        "ended_at": datetime(2026, 11, 4, 15, 10, tzinfo=_TZ),
        "place": "示范市市场监督管理局执法稽查支队询问室",
        "recusal": "不申请回避",
        "interviewee": {
            "name": "王建国",
            "gender": "男",
            "id_type": "居民身份证",
            "id_number": _PERSON_ID,
            "work_unit": "示范市好味道餐饮管理有限公司",
            "position": "法定代表人",
            "phone": "13905310001",
            "address": "示范市东城区花园路9号",
        },
    },
    "transcript": [
        {"speaker": "问", "text": "你公司冷柜内存放的酱牛肉、卤鸡爪是什么时候购进的？"},
        {"speaker": "答", "text": "是10月20日从示范市鲜味食品厂购进的，酱牛肉60袋、卤鸡爪40袋。"},
        {"speaker": "问", "text": "以上所述是否属实？"},
        {"speaker": "答", "text": "属实。"},
    ],
    "recorder": "李华",
    "preservation": {
        "reason": "当事人的进货单据、销售记录可能灭失或者以后难以取得",
        "goods": [
            {"name": "2026年10月进货单据", "spec": "A4", "quantity": "12页", "note": "原件"},
            {"name": "2026年10月至11月销售记录", "spec": "笔记本", "quantity": "1本", "note": ""},
        ],
        "place": "示范市市场监督管理局证据保管室",
        "keeper": "李华",
        "start_on": date(2026, 11, 4),
        "end_on": date(2026, 11, 13),
    },
    "seizure": {
        "measure": "扣押",
        "reason": "涉嫌经营超过保质期的食品，相关食品有证据证明不符合食品安全标准",
        "basis": [
            {
                "citation": "《中华人民共和国食品安全法》第一百一十条第（四）项",
                "text": "县级以上人民政府食品安全监督管理部门履行食品安全监督管理职责，有权采取下列措施……（四）查封、扣押有证据证明不符合食品安全标准或者有证据证明存在安全隐患以及用于违法生产经营的食品、食品添加剂、食品相关产品；",
            }
        ],
        "goods": _SEIZED,
        "place": "示范市市场监督管理局涉案物品保管室",
        "days": 30,
        "start_on": date(2026, 11, 2),
        "end_on": date(2026, 12, 1),
        "original_number": "示市监封扣〔2026〕6号",
        "original_date": date(2026, 11, 2),
        "extension_days": 30,
        "new_end_on": date(2026, 12, 31),
        "extension_reason": "涉案食品需送检验机构进行检验，案情复杂，需进一步调查核实",
    },
    "hearing": {
        "requested_on": date(2026, 11, 23),
        "held_at": datetime(2026, 12, 8, 9, 0, tzinfo=_TZ),
        "ended_at": datetime(2026, 12, 8, 10, 30, tzinfo=_TZ),
        "place": "示范市市场监督管理局三楼听证室",
        "host": "刘卫东",
        "clerk": "陈静",
        "public": True,
        "reason_not_public": "",
        "investigators": ["张明", "李华"],
        "attendees": ["王建国（当事人法定代表人）", "周律师（委托代理人，山东示范律师事务所律师）"],
    },
    "discussion": {
        "held_at": datetime(2026, 11, 27, 15, 0, tzinfo=_TZ),
        "place": "示范市市场监督管理局第一会议室",
        "host": "孙立平（局长）",
        "attendees": ["孙立平（局长）", "钱进（副局长）", "吴敏（副局长）", "郑红（法规科科长）"],
        "recorder": "陈静",
        "summary": "承办人张明汇报了案件调查终结情况、事先告知及当事人陈述申辩情况，建议没收违法所得及超过保质期的食品，并处罚款人民币8万元。",
        "review_opinion": "法规科审核认为，本案事实清楚，证据确凿，适用依据正确，程序合法，处罚适当，同意承办机构意见。",
        "opinions": [
            {"speaker": "钱进", "text": "同意承办机构意见，当事人违法情节属一般情形，处罚幅度适当。"},
            {"speaker": "吴敏", "text": "同意，建议督促当事人建立进货查验和临期食品清理制度。"},
        ],
        "conclusion": "经集体讨论，决定没收当事人违法所得人民币960.00元及超过保质期的食品60袋，并处罚款人民币80000.00元。",
    },
    "on_site": {"time": datetime(2026, 11, 22, 10, 15, tzinfo=_TZ), "place": "示范市东城区泉城路166号"},
    "no_penalty": {
        "reason": "当事人系初次违法，超过保质期的食品货值金额较小且尚未销售，危害后果轻微，并在检查当日及时改正",
        "basis": [
            {
                "citation": "《中华人民共和国行政处罚法》第三十三条第一款",
                "text": "违法行为轻微并及时改正，没有造成危害后果的，不予行政处罚。初次违法且危害后果轻微并及时改正的，可以不予行政处罚。",
            }
        ],
        "education": "本局已依照《中华人民共和国行政处罚法》第三十三条第三款的规定对当事人进行了教育，并督促其建立临期食品清理制度",
    },
    "service": {
        "document_name": "行政处罚决定书",
        "document_number": "示市监罚决〔2026〕12号",
        "recipient": "示范市好味道餐饮管理有限公司",
        "place": "示范市东城区泉城路166号",
        "method": "直接送达",
        "served_at": datetime(2026, 12, 1, 10, 0, tzinfo=_TZ),
        "servers": ["张明", "李华"],
        "note": "",
    },
    "demand": {
        "decision_number": "示市监罚决〔2026〕12号",
        "decision_date": date(2026, 11, 30),
        "obligation": "缴纳罚款人民币80000.00元及加处罚款",
        "amount": Decimal("80000.00"),
        "surcharge": Decimal("36000.00"),
        "method": "到示范市农商银行各营业网点缴纳，或者通过“山东省非税收入电子缴款”平台缴纳",
        "due_days": 10,
    },
    "closing": {
        "summary": "本案于2026年11月3日立案，经调查取证、事先告知、法制审核和集体讨论，于2026年11月30日作出行政处罚决定，12月1日直接送达当事人。",
        "result": "没收违法所得人民币960.00元及超过保质期的食品60袋，罚款人民币80000.00元。",
        "execution": "当事人已于2026年12月10日缴纳罚款及没收的违法所得，没收的食品已于2026年12月12日依法销毁。",
        "reason": "行政处罚决定已执行完毕",
    },
    "legal_review": {
        "round": 1,
        "submitted_on": date(2026, 11, 20),
        "submitted_by": "张明",
        "outcome": "作出行政处罚决定",
        "proposal": "没收违法所得人民币960.00元及超过保质期的食品60袋，并处罚款人民币80000.00元。",
        "reasons": ["直接关系当事人或者第三人重大权益，经过听证程序"],
        "checks": [
            {"label": "执法主体是否合法，执法人员是否具备执法资格", "result": "通过", "comment": ""},
            {"label": "是否超越本机关法定权限", "result": "通过", "comment": ""},
            {"label": "执法程序是否合法", "result": "通过", "comment": ""},
            {"label": "案件事实是否清楚，证据是否合法充分", "result": "通过", "comment": ""},
            {
                "label": "适用法律法规规章是否准确，裁量基准运用是否适当",
                "result": "通过",
                "comment": "适用《中华人民共和国食品安全法》第一百二十四条第一款第（五）项，罚款数额在从轻档次内。",
            },
            {"label": "执法文书是否完备、规范", "result": "通过", "comment": ""},
            {
                "label": "违法行为是否涉嫌犯罪、需要移送司法机关或者纪检监察机关",
                "result": "通过",
                "comment": "",
            },
        ],
        "opinion": "同意",
        "text": "本案事实清楚，证据确凿，适用依据正确，程序合法，处罚适当，同意承办机构的处理意见。",
        "supplement_due": None,
        "reviewer": "郑红",
        "reviewed_on": date(2026, 11, 25),
    },
}

SAMPLE_OVERRIDES: dict[str, dict] = {
    # 当场处罚 (处罚法 Art. 51): a warning to an organisation for a clear, minor violation.
    "summary_penalty_decision": {
        "facts": "当事人进货时未查验供货者的许可证和食品出厂检验合格证，未建立进货查验记录",
        "violated": [
            {
                "citation": "《中华人民共和国食品安全法》第五十三条第一款、第二款",
                "text": "食品经营者采购食品，应当查验供货者的许可证和食品出厂检验合格证或者其他合格证明……",
            }
        ],
        "penalty": {
            "kinds": ["警告"],
            "content": "警告",
            "fine": None,
            "confiscation": "",
            "basis": [
                {
                    "citation": "《中华人民共和国食品安全法》第一百二十六条第一款第（三）项",
                    "text": "违反本法规定，有下列情形之一的，由县级以上人民政府食品安全监督管理部门责令改正，给予警告……（三）食品、食品添加剂生产经营者进货时未查验许可证和相关证明文件，或者未按规定建立并遵守进货查验记录、出厂检验记录和销售记录制度；",
                }
            ],
            "discretion": "",
            "payment_due_days": 15,
            "payment_method": "",
        },
    },
    "no_penalty_decision": {
        "facts": "2026年11月2日，本局执法人员检查发现当事人冷柜内存放待售的已超过保质期的“鲜味牌”卤鸡爪2袋，货值金额人民币36.00元，尚未销售。当事人当场将上述食品下架并销毁",
    },
}


def describe(path: str) -> str:
    """The schema's description of a path such as ``parties.0.name``."""
    spec: object = SCHEMA
    for part in path.split("."):
        if part.isdigit():
            continue
        spec = spec[part]
        if isinstance(spec, list):
            spec = spec[0]
    return spec if isinstance(spec, str) else path
