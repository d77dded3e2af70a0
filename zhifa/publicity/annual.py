"""年度行政执法数据 (G6, G11): an agency's statistics for one calendar year, derived from case data.

Principle 4 of ARCHITECTURE.md: nothing here is typed in. The figures are counted from the case
engine's immutable event log (``CaseEvent``), where each decision is recorded once with the data
the 文书 was made from; a decision later changed or revoked keeps its event and is still counted
(G11). All event figures come from one grouped query over the agency's events (counted and summed
in the database, never a Python loop over the agency's cases); only its few dozen grouped rows are
combined here with the pure counting rules of :mod:`zhifa.publicity.rules`.

Which engine actions count, and how (see ``zhifa/cases/procedures/*.toml``):

- 行政处罚: ``decide_penalty`` (一般程序) and ``decide_on_spot`` (简易程序), dated by the decision's
  ``decided_on``, once each under the heaviest kind (G11); ``decide_no_penalty`` separately;
- 行政许可: cases of a 许可 procedure by application date (``Case.discovered_on``); ``accept`` and
  ``refuse_acceptance`` on the day they were recorded; ``grant`` and ``deny`` by ``decided_on``;
- 行政强制: ``execute_measure`` and ``execute_in_emergency`` by ``executed_on``, per measure;
- 行政检查: ``record_result`` by ``result_on``, per result, those of 双随机 tasks apart;
- 复议/诉讼: ``record_appeal`` by ``started_on`` (one proceeding counted once even when its end was
  recorded later); 法制审核: review rounds the reviewers concluded in the year.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from datetime import datetime, time
from decimal import Decimal

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
from django.utils import timezone

from . import rules

FORMAT_VERSION = 1

PENALTY_ACTIONS = {"decide_penalty": "general", "decide_on_spot": "summary"}
NO_PENALTY_ACTION = "decide_no_penalty"
LICENCE_DECISIONS = {"grant": "granted", "deny": "denied"}
LICENCE_ACCEPTANCE = {"accept": "accepted", "refuse_acceptance": "not_accepted"}
MEASURE_ACTIONS = ("execute_measure", "execute_in_emergency")
MEASURE_LABELS = {"seal": "查封场所、设施或者财物", "detain": "扣押财物"}
RESULT_ACTION = "record_result"
APPEAL_ACTION = "record_appeal"
APPEAL_LABELS = {"reconsideration": "行政复议", "litigation": "行政诉讼"}
# The actions this module relies on, with the handler each must run (checked against the bundled
# procedure definitions by the tests, so a renamed action cannot silently drop out of the count).
COUNTED_ACTIONS = {
    "decide_penalty": "penalty_decision",
    "decide_on_spot": "summary_decision",
    "decide_no_penalty": "no_penalty_decision",
    "grant": "licence_decision",
    "deny": "licence_decision",
    "accept": None,
    "refuse_acceptance": "reason",
    "execute_measure": "measure",
    "execute_in_emergency": "measure",
    "record_result": "inspection_result",
    "record_appeal": "appeal",
}
LICENSING_CATEGORY = "许可"
AMOUNT = DecimalField(max_digits=18, decimal_places=2)


class JsonText(Func):
    """The text of one top-level key of a JSON column; NULL when absent or JSON null. One JSON
    parse per evaluation (Django's key transforms parse twice on SQLite), which matters when
    100 000 events are read: ``JSON_EXTRACT`` on SQLite, ``->>`` on PostgreSQL."""

    output_field = TextField()

    def __init__(self, key: str, column: str = "data"):
        if not key.isidentifier():
            raise ValueError(key)
        self.key = key
        super().__init__(F(column))

    def as_sqlite(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"JSON_EXTRACT({sql}, '$.{self.key}')", params

    def as_postgresql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        return f"({sql} ->> '{self.key}')", params

    def as_sql(self, compiler, connection, **extra):  # other backends: Django's own transform
        return compiler.compile(KeyTextTransform(self.key, self.source_expressions[0].name))


def _when(actions, then):
    return When(action__in=list(actions), then=then)


# What each counted action is dated by (its data key); the licence acceptance steps have no date
# field of their own and are dated by when they were recorded.
DATE_KEYS = {
    **dict.fromkeys([*PENALTY_ACTIONS, NO_PENALTY_ACTION, *LICENCE_DECISIONS], "decided_on"),
    **dict.fromkeys(MEASURE_ACTIONS, "executed_on"),
    RESULT_ACTION: "result_on",
    APPEAL_ACTION: "started_on",
}


def event_rows(agency_id: int, year: int) -> list[dict]:
    """One pass over the agency's event log: the counted events of ``year``, grouped by action and
    by the few values the report splits them by (penalty kinds, measure, inspection result, appeal
    proceeding), with the fines and confiscations summed in the database.

    Each key is read only for the actions that have it (``CASE action WHEN …``); SQLite keeps the
    parsed JSON of the row between the extractions, so each event's data is parsed about once.
    """
    from zhifa.cases.models import CaseEvent
    from zhifa.inspections.models import InspectionAssignment

    by_key: dict[str, list[str]] = {}
    for action, key in DATE_KEYS.items():
        by_key.setdefault(key, []).append(action)
    on = Case(*[_when(actions, JsonText(key)) for key, actions in by_key.items()], output_field=TextField())
    start, end = _year_bounds(year)
    in_year = Q(action__in=list(DATE_KEYS), _on__startswith=f"{year}-") | Q(
        action__in=list(LICENCE_ACCEPTANCE), occurred_at__gte=start, occurred_at__lt=end
    )
    penalty = list(PENALTY_ACTIONS)
    text = TextField()
    rows = (
        CaseEvent.objects.filter(case__agency_id=agency_id, action__in=[*DATE_KEYS, *LICENCE_ACCEPTANCE])
        .annotate(_on=on)
        .filter(in_year)
        .values(
            "action",
            kinds=Case(_when(penalty, JsonText("penalty_kinds")), output_field=text),
            measure=Case(_when(MEASURE_ACTIONS, JsonText("measure")), output_field=text),
            result=Case(_when([RESULT_ACTION], JsonText("result")), output_field=text),
            random=Case(
                _when(
                    [RESULT_ACTION], Exists(InspectionAssignment.objects.filter(case_id=OuterRef("case_id")))
                ),
                default=Value(False),
                output_field=BooleanField(),
            ),
            appeal=Case(_when([APPEAL_ACTION], JsonText("kind")), output_field=text),
            appeal_case=Case(_when([APPEAL_ACTION], F("case_id")), output_field=IntegerField()),
            appeal_on=Case(_when([APPEAL_ACTION], F("_on")), output_field=text),
        )
        .annotate(
            n=Count("id"),
            fine=Sum(Case(_when(penalty, Cast(JsonText("fine"), AMOUNT)), output_field=AMOUNT)),
            confiscation=Sum(
                Case(_when(penalty, Cast(JsonText("confiscation"), AMOUNT)), output_field=AMOUNT)
            ),
        )
        .order_by()
    )
    return list(rows)


def _year_bounds(year: int):
    tz = timezone.get_current_timezone()
    return (
        timezone.make_aware(datetime(year, 1, 1), tz),
        timezone.make_aware(datetime.combine(datetime(year + 1, 1, 1), time.min), tz),
    )


def _decimal(value) -> Decimal:
    return Decimal(value or 0).quantize(Decimal("0.01"))


def _kinds(text):
    if not text:
        return ()
    try:
        kinds = json.loads(text)
    except ValueError:
        return ()
    return kinds if isinstance(kinds, list) else ()


def _count(rows, actions) -> int:
    actions = {actions} if isinstance(actions, str) else set(actions)
    return sum(row["n"] for row in rows if row["action"] in actions)


# --- The six act types (each from the grouped rows of event_rows) ---------------------------------
def penalty_section(rows: list[dict]) -> dict:
    rows_ = [row for row in rows if row["action"] in PENALTY_ACTIONS]
    columns = rules.tally_penalties((_kinds(row["kinds"]), row["n"]) for row in rows_)
    fine = sum((_decimal(row["fine"]) for row in rows_), Decimal(0))
    confiscation = sum((_decimal(row["confiscation"]) for row in rows_), Decimal(0))
    return {
        "total": sum(columns.values()),
        "columns": [{"label": label, "count": count} for label, count in columns.items()],
        "general": _count(rows_, "decide_penalty"),
        "summary": _count(rows_, "decide_on_spot"),
        "fine_yuan": str(fine),
        "fine_wan": str(rules.wan_yuan(fine)),
        "confiscation_yuan": str(confiscation),
        "confiscation_wan": str(rules.wan_yuan(confiscation)),
        "no_penalty": _count(rows, NO_PENALTY_ACTION),
    }


def licensing_section(rows: list[dict], agency_id: int, year: int) -> dict:
    from zhifa.cases.models import Case as CaseModel

    applications = CaseModel.objects.filter(
        agency_id=agency_id,
        procedure__category=LICENSING_CATEGORY,
        discovered_on__gte=f"{year}-01-01",
        discovered_on__lte=f"{year}-12-31",
    ).count()
    granted, denied = _count(rows, "grant"), _count(rows, "deny")
    return {
        "total": granted + denied,
        "applications": applications,
        "accepted": _count(rows, "accept"),
        "not_accepted": _count(rows, "refuse_acceptance"),
        "granted": granted,
        "denied": denied,
    }


def coercion_section(rows: list[dict]) -> dict:
    by_measure = Counter()
    for row in rows:
        if row["action"] in MEASURE_ACTIONS:
            by_measure[row["measure"]] += row["n"]
    return {
        "total": _count(rows, MEASURE_ACTIONS),
        "measures": [
            {"label": label, "count": by_measure.get(code, 0)} for code, label in MEASURE_LABELS.items()
        ],
        "emergency": _count(rows, "execute_in_emergency"),
    }


def inspection_section(rows: list[dict], agency_id: int, year: int) -> dict:
    from zhifa.cases.handlers import INSPECTION_RESULTS
    from zhifa.inspections.models import InspectionAssignment, InspectionTask, TaskStatus

    by_result = Counter()
    for row in rows:
        if row["action"] == RESULT_ACTION:
            by_result[row["result"]] += row["n"]
    tasks = InspectionTask.objects.filter(
        agency_id=agency_id,
        status=TaskStatus.CONFIRMED,
        period_start__gte=f"{year}-01-01",
        period_start__lte=f"{year}-12-31",
    )
    return {
        "total": sum(by_result.values()),
        "results": [{"label": label, "count": by_result.get(code, 0)} for code, label in INSPECTION_RESULTS],
        "random_results": sum(row["n"] for row in rows if row["action"] == RESULT_ACTION and row["random"]),
        "random_tasks": tasks.count(),
        "random_targets": InspectionAssignment.objects.filter(task__in=tasks, case__isnull=False).count(),
    }


def appeal_section(rows: list[dict]) -> dict:
    """复议/诉讼 by start date; a proceeding recorded again when it ended is still one."""
    proceedings = {
        (row["appeal_case"], row["appeal"], row["appeal_on"])
        for row in rows
        if row["action"] == APPEAL_ACTION
    }
    kinds = Counter(kind for _case, kind, _on in proceedings)
    return {code: kinds.get(code, 0) for code in APPEAL_LABELS}


def penalty_statistics(agency_id: int, year: int) -> dict:
    return penalty_section(event_rows(agency_id, year))


def licensing_statistics(agency_id: int, year: int) -> dict:
    return licensing_section(event_rows(agency_id, year), agency_id, year)


def coercion_statistics(agency_id: int, year: int) -> dict:
    return coercion_section(event_rows(agency_id, year))


def inspection_statistics(agency_id: int, year: int) -> dict:
    return inspection_section(event_rows(agency_id, year), agency_id, year)


def appeal_statistics(agency_id: int, year: int) -> dict:
    return appeal_section(event_rows(agency_id, year))


def review_statistics(agency_id: int, year: int) -> dict:
    from zhifa.review.models import ReviewRound

    start, end = _year_bounds(year)
    rounds = ReviewRound.objects.filter(
        agency_id=agency_id, decided_at__gte=start, decided_at__lt=end
    ).exclude(opinion="")
    return {
        "reviews": rounds.values("review_id").distinct().count(),
        "rounds": rounds.count(),
    }


def powers_held(agency_id: int) -> dict[str, bool]:
    """G11: which of the six act types the agency's 权责清单 gives it (active 事项 only)."""
    from zhifa.powers.models import InspectionItem, PowerItem

    items = PowerItem.objects.filter(agency_id=agency_id, is_active=True)
    categories = set(items.values_list("category", flat=True).distinct().order_by())
    held = {code: bool(categories & set(cats)) for code, _label, cats in rules.ACT_TYPES}
    held["requisition"] = items.filter(name__contains=rules.REQUISITION_KEYWORD).exists()
    held["inspection"] = (
        held["inspection"] or InspectionItem.objects.filter(agency_id=agency_id, is_active=True).exists()
    )
    return held


# --- The report -----------------------------------------------------------------------------------
def compute_statistics(agency, year: int) -> dict:
    """Everything the 年报 shows, as JSON-ready data (ints and decimal strings)."""
    rows = event_rows(agency.pk, year)
    sections = {
        "licensing": licensing_section(rows, agency.pk, year),
        "penalty": penalty_section(rows),
        "coercion": coercion_section(rows),
        # No procedure of 行政征收/征用 exists in the engine yet: nothing can have been counted.
        "levy": {"total": 0},
        "requisition": {"total": 0},
        "inspection": inspection_section(rows, agency.pk, year),
    }
    held = powers_held(agency.pk)
    government, superior = recipients(agency)
    return {
        "format": FORMAT_VERSION,
        "year": year,
        "agency": {
            "id": agency.pk,
            "name": agency.name,
            "credit_code": agency.credit_code,
            "region": agency.region.name if agency.region_id else "",
        },
        "computed_at": timezone.now().isoformat(timespec="seconds"),
        "basis": rules.G11_BASIS,
        "acts": [
            {
                "code": code,
                "label": label,
                "has_power": held[code],
                "count": sections[code]["total"],
                "value": rules.act_cell(held[code], sections[code]["total"]),
            }
            for code, label, _categories in rules.ACT_TYPES
        ],
        **sections,
        "appeals": appeal_section(rows),
        "review": review_statistics(agency.pk, year),
        "recipients": [r for r in (government, superior) if r],
    }


def recipients(agency) -> tuple[dict | None, dict | None]:
    """G6: whom the report is submitted to: the 本级人民政府 (the nearest government above the
    agency) and the 上级主管部门 — the agency's parent agency for a 派出机构, otherwise an agency of
    the next government up sharing one of its 执法领域."""
    from zhifa.organizations.models import Organization, OrgKind

    government = _parent(agency)
    if government is not None and government.kind == OrgKind.AGENCY:
        parent_agency = government
        government = parent_agency.government
        superior = parent_agency
    else:
        superior = None
        if government is not None and government.kind != OrgKind.GOVERNMENT:
            government = government.government
        upper = _parent(government) if government is not None else None
        if upper is not None and upper.kind == OrgKind.GOVERNMENT:
            fields = list(agency.fields.values_list("pk", flat=True))
            if fields:
                superior = (
                    Organization.objects.filter(
                        kind=OrgKind.AGENCY,
                        is_active=True,
                        depth=upper.depth + 1,
                        path__startswith=upper.path,
                        fields__in=fields,
                    )
                    .order_by("path")
                    .first()
                )

    def entry(org, role):
        return {"id": org.pk, "name": org.name, "role": role} if org else None

    return entry(government, "本级人民政府"), entry(superior, "上级主管部门")


def _parent(node):
    if node.depth <= 1:
        return None
    return type(node).objects.filter(path=node.path[: -node.steplen]).first()


def statistics_digest(statistics: dict) -> str:
    from zhifa.ledger.rules import canonical_json

    return hashlib.sha256(canonical_json(statistics)).hexdigest()


# --- Presentation (from the statistics alone: the portal and the PDF read nothing else) ----------
NUMERALS = "一二三四五六七八九十"


def _n(value) -> str:
    return f"{value:,}" if isinstance(value, int) else str(value)


def tables(statistics: dict) -> list[dict]:
    """The report's tables: ``{"title", "headers", "rows", "note"}``, cells as display text."""
    acts = {act["code"]: act for act in statistics["acts"]}

    def applicable(code: str) -> bool:
        return acts[code]["value"] != rules.NO_DUTY

    result = [
        {
            "title": "行政执法行为总体情况",
            "headers": ["执法行为类别", "数量（件）"],
            "rows": [[act["label"], _n(act["value"])] for act in statistics["acts"]],
            "note": "“无相关职责”：本机关权责清单中没有该类职权；“0”：有该类职权但本年度未实施（G11）。",
        }
    ]
    penalty = statistics["penalty"]
    if applicable("penalty"):
        result.append(
            {
                "title": "行政处罚",
                "headers": ["项目", "数量"],
                "rows": [
                    ["行政处罚决定（件）", _n(penalty["total"])],
                    *[[f"　其中：{c['label']}（件）", _n(c["count"])] for c in penalty["columns"]],
                    ["　其中：简易程序（当场处罚）（件）", _n(penalty["summary"])],
                    ["　　　　一般程序（件）", _n(penalty["general"])],
                    ["罚款金额（万元）", penalty["fine_wan"]],
                    ["没收违法所得、没收非法财物金额（万元）", penalty["confiscation_wan"]],
                    ["不予行政处罚决定（件）", _n(penalty["no_penalty"])],
                ],
                "note": "同时给予多种处罚的，按其中最重的处罚种类统计一次；决定后被变更、撤销的仍计入；"
                "按决定日期所在自然年度统计（G11）。",
            }
        )
    licensing = statistics["licensing"]
    if applicable("licensing"):
        result.append(
            {
                "title": "行政许可",
                "headers": ["项目", "数量（件）"],
                "rows": [
                    ["申请", _n(licensing["applications"])],
                    ["受理", _n(licensing["accepted"])],
                    ["不予受理", _n(licensing["not_accepted"])],
                    ["准予许可", _n(licensing["granted"])],
                    ["不予许可", _n(licensing["denied"])],
                ],
                "note": "行政许可数量为本年度作出的准予和不予许可决定数。",
            }
        )
    coercion = statistics["coercion"]
    if applicable("coercion"):
        result.append(
            {
                "title": "行政强制",
                "headers": ["项目", "数量（件）"],
                "rows": [
                    ["行政强制措施", _n(coercion["total"])],
                    *[[f"　其中：{m['label']}", _n(m["count"])] for m in coercion["measures"]],
                    ["　其中：情况紧急当场实施", _n(coercion["emergency"])],
                ],
                "note": "",
            }
        )
    inspection = statistics["inspection"]
    if applicable("inspection"):
        result.append(
            {
                "title": "行政检查",
                "headers": ["项目", "数量"],
                "rows": [
                    ["行政检查（次）", _n(inspection["total"])],
                    *[[f"　其中：{r['label']}", _n(r["count"])] for r in inspection["results"]],
                    ["　其中：“双随机、一公开”抽查（次）", _n(inspection["random_results"])],
                    ["“双随机、一公开”抽查任务（个）", _n(inspection["random_tasks"])],
                    ["抽查任务确定的检查对象（户）", _n(inspection["random_targets"])],
                ],
                "note": "行政检查按检查结果作出日期统计。",
            }
        )
    appeals, review = statistics["appeals"], statistics["review"]
    result.append(
        {
            "title": "行政复议、行政诉讼和法制审核",
            "headers": ["项目", "数量（件）"],
            "rows": [
                *[
                    [f"被申请{label}" if code == "reconsideration" else f"被提起{label}", _n(appeals[code])]
                    for code, label in APPEAL_LABELS.items()
                ],
                ["重大执法决定法制审核", _n(review["reviews"])],
            ],
            "note": "复议、诉讼按申请（起诉）日期统计；法制审核按审核完成日期统计。",
        }
    )
    for number, table in zip(NUMERALS, result, strict=False):
        table["title"] = f"{number}、{table['title']}"
    return result
