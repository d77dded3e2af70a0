"""Rules for the organization tree and 委托 (pure functions, no database)."""

from __future__ import annotations

from datetime import date

from zhifa.core.rules import credit_code_error, region_level, region_parent_code

ENTRUSTMENT_BASIS = "《中华人民共和国行政处罚法》第二十条、第二十一条"

REGION_LEVEL_LABELS = {"province": "省级", "city": "市级", "county": "县级"}

# Which kind of node may sit under which (None = a root).
ALLOWED_PARENT_KINDS = {
    "government": {None, "government"},
    "agency": {"government", "agency"},
    "department": {"agency", "department"},
}
KIND_LABELS = {"government": "人民政府", "agency": "执法主体", "department": "内设机构", None: "（顶层）"}


def region_level_label(code: str) -> str:
    return REGION_LEVEL_LABELS[region_level(code)]


def region_parent_error(code: str, parent_code: str) -> str | None:
    """S1/GB/T 2260: a region's parent must be the region its code names as the level above."""
    expected = region_parent_code(code)
    if expected is None:
        return "省级行政区划没有上级区划（GB/T 2260）。"
    # 直辖市 counties hang under the city-level "市辖区" code, others under their 地级市.
    if parent_code != expected and not (parent_code[:2] == code[:2] and parent_code.endswith("0000")):
        return f"区划代码{code}的上级应为{expected}，不是{parent_code}（GB/T 2260）。"
    return None


def placement_error(kind: str, parent_kind: str | None) -> str | None:
    """Where a node may sit: 人民政府 under 人民政府, 执法主体 under a 政府 (or a 执法主体 for its
    派出机构), 内设机构 under a 执法主体 or another 内设机构."""
    if parent_kind in ALLOWED_PARENT_KINDS[kind]:
        return None
    allowed = "、".join(KIND_LABELS[k] for k in sorted(ALLOWED_PARENT_KINDS[kind], key=str))
    return f"{KIND_LABELS[kind]}只能设在{allowed}之下，不能设在{KIND_LABELS[parent_kind]}之下。"


def organization_errors(kind: str, subject_kind: str, credit_code: str) -> dict[str, str]:
    errors: dict[str, str] = {}
    if kind == "agency":
        if not subject_kind:
            errors["subject_kind"] = (
                "执法主体必须注明主体性质：行政机关、法律法规授权组织或受委托组织（处罚法第十七至二十条）。"
            )
        if not credit_code:
            errors["credit_code"] = "执法主体必须填写统一社会信用代码。"
    elif subject_kind:
        errors["subject_kind"] = "只有执法主体才有主体性质。"
    if credit_code and (message := credit_code_error(credit_code)):
        errors["credit_code"] = message
    return errors


def entrustment_errors(
    *,
    entrusting_subject_kind: str | None,
    entrusted_subject_kind: str | None,
    same_organization: bool,
    start: date | None,
    end: date | None,
) -> dict[str, str]:
    """S1: only an 行政机关 entrusts, in writing, an organization registered as 受委托组织, for a term."""
    errors: dict[str, str] = {}
    if entrusting_subject_kind is not None and entrusting_subject_kind != "organ":
        errors["entrusting"] = f"委托机关必须是行政机关（{ENTRUSTMENT_BASIS}）。"
    if entrusted_subject_kind is not None and entrusted_subject_kind != "entrusted":
        errors["entrusted"] = f"受委托方必须是登记为“受委托组织”的执法主体（{ENTRUSTMENT_BASIS}）。"
    if same_organization:
        errors["entrusted"] = "委托机关与受委托组织不能相同。"
    if start and end and end < start:
        errors["end_date"] = "委托期限的结束日期不能早于开始日期。"
    return errors
