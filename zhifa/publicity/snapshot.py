"""The shape of a publication snapshot: the keys of ``PublicationVersion.fields`` (and of
``PortalEntry.fields``), their Chinese labels, and which are free text the redaction engine scans.

The keys follow the 双公示 layouts (G10) so the open-data export is a projection of the snapshot,
never a second derivation. Values are JSON: strings, ISO dates (YYYY-MM-DD), amounts in 元 as
strings with two decimals (the export converts to 万元), lists of strings.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    free_text: bool = False  # scanned by the detectors (G4, G8)


COMMON = (
    Field("title", "标题"),
    Field("category", "公示类别代码"),
    Field("category_label", "公示类别"),
    Field("party_name", "行政相对人名称"),
    Field("party_kind", "行政相对人类别"),  # 法人及非法人组织 / 自然人 / 个体工商户
    Field("credit_code", "统一社会信用代码"),
    Field("legal_representative", "法定代表人"),
    Field("document_title", "决定文书名称"),
    Field("document_number", "决定文书文号"),
    Field("decided_on", "决定日期"),
    Field("display_until", "公示截止期"),
    Field("agency_name", "执法机关"),
    Field("agency_credit_code", "执法机关统一社会信用代码"),
    Field("source_name", "数据来源单位"),
    Field("source_credit_code", "数据来源单位统一社会信用代码"),
    Field("field_name", "执法领域"),
    Field("seriousness_label", "失信严重程度"),
    Field("remarks", "备注", free_text=True),
)

PENALTY = (
    Field("violation_type", "违法行为类型"),
    Field("facts", "违法事实", free_text=True),
    Field("basis", "处罚依据", free_text=True),
    Field("penalty_kinds", "处罚类别"),  # list of labels
    Field("penalty_content", "处罚内容", free_text=True),
    Field("fine_yuan", "罚款金额（元）"),
    Field("confiscation_yuan", "没收违法所得、没收非法财物的金额（元）"),
    Field("licence_affected", "暂扣或吊销证照名称及编号"),
    Field("penalty_valid_until", "处罚有效期"),
)

NO_PENALTY = (
    Field("violation_type", "违法行为类型"),
    Field("facts", "违法事实", free_text=True),
    Field("reason", "不予处罚理由", free_text=True),
    Field("basis", "不予处罚依据", free_text=True),
)

LICENSING = (
    Field("licence_category", "许可类别"),  # 普通 / 特许 / 认可 / 核准 / 登记 / 其他
    Field("certificate_name", "许可证书名称"),
    Field("licence_number", "许可编号"),
    Field("licence_content", "许可内容", free_text=True),
    Field("valid_from", "有效期自"),
    Field("valid_to", "有效期至"),
    Field("basis", "许可依据", free_text=True),
)

INSPECTION = (
    Field("inspection_item", "检查事项"),
    Field("inspected_on", "检查日期"),
    Field("inspection_method", "检查方式"),
    Field("conclusion", "检查结果", free_text=True),
    Field("handling", "处理情况", free_text=True),
)

COERCION = (
    Field("measure", "强制措施"),
    Field("facts", "事实和理由", free_text=True),
    Field("basis", "依据", free_text=True),
    Field("items", "查封扣押的场所、设施或者财物"),
    Field("period", "期限"),
)

BY_CATEGORY = {
    "penalty": COMMON + PENALTY,
    "no_penalty": COMMON + NO_PENALTY,
    "licensing": COMMON + LICENSING,
    "inspection": COMMON + INSPECTION,
    "coercion": COMMON + COERCION,
}


def fields_of(category: str) -> tuple[Field, ...]:
    return BY_CATEGORY[category]


def free_text_keys(category: str) -> list[str]:
    return [f.key for f in fields_of(category) if f.free_text]


def labelled(category: str, values: dict) -> list[tuple[str, str, object]]:
    """(key, label, value) for every field of the category that has a value, in layout order —
    what the detail pages show."""
    return [
        (f.key, f.label, values[f.key])
        for f in fields_of(category)
        if values.get(f.key) not in (None, "", [])
    ]
