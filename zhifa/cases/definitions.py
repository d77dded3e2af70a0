"""Procedure definitions: TOML files in ``procedures/`` parsed into immutable dataclasses.

A definition is data: stages, actions (who may act, from which stages, to which stage, guards,
the 文书 each issues, the recordings it needs), and deadlines (what starts them, working or natural
days, the rule and basis). The engine runs whatever the definition says; the portal's flowchart
is drawn from the same data.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

PROCEDURE_DIR = Path(__file__).resolve().parent / "procedures"


class DefinitionError(ValueError):
    pass


@dataclass(frozen=True)
class Stage:
    code: str
    name: str
    final: bool = False


@dataclass(frozen=True)
class DeadlineSpec:
    code: str
    name: str
    rule: str
    basis: str
    unit: str  # "work" | "natural"
    days: int | None = None  # fixed number of days, or
    setting: str | None = None  # a ProcedureSetting key (national default in rules.NATIONAL_DEFAULTS), or
    days_from: str | None = None  # "data:<field>": the number of days the opening action's data sets
    start: str = "action"  # "action" (the day the action is performed) or "data:<field>"
    when: str | None = None  # "outcome:<outcome>": open only for cases with that outcome
    excludes: tuple[str, ...] = ()  # intervals not counted (检测、鉴定、听证、公告 …) …
    excludes_basis: str = ""  # … and the provision that excludes them


@dataclass(frozen=True)
class Action:
    code: str
    name: str
    from_stages: tuple[str, ...]
    to_stage: str | None
    roles: tuple[str, ...]
    guards: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    recordings: tuple[str, ...] = ()
    opens: tuple[str, ...] = ()
    closes: tuple[str, ...] = ()
    handler: str | None = None
    outcome: str | None = None
    help: str = ""
    extends: str | None = None  # the deadline this action extends (with the head's approval)
    extension_setting: str | None = None  # ProcedureSetting key holding the longest extension
    extension_once: bool = False  # C2: 查封扣押 may be extended only once
    suspends: str | None = None  # the deadline whose counting this action stops (an excluded interval)
    resumes: str | None = None  # the deadline whose counting this action restarts


@dataclass(frozen=True)
class Procedure:
    code: str
    version: int
    name: str
    category: str
    effective_from: str
    initial_stage: str
    stages: dict[str, Stage]
    actions: dict[str, Action]
    deadlines: dict[str, DeadlineSpec]
    basis: str = ""
    numbering: str = "create"  # "create", or the code of the action that gives the 案号 (立案)
    number_pattern: str = "{简称}〔{年}〕{序号}号"
    raw: dict = field(default_factory=dict, compare=False, repr=False)

    def stage_name(self, code: str) -> str:
        return self.stages[code].name


def parse(raw: dict) -> Procedure:
    """Build and check a :class:`Procedure` from its TOML/JSON form."""
    try:
        stages = {s["code"]: Stage(s["code"], s["name"], s.get("final", False)) for s in raw["stages"]}
        deadlines = {
            d["code"]: DeadlineSpec(**{**d, "excludes": tuple(d.get("excludes", ()))})
            for d in raw.get("deadlines", [])
        }
        actions = {}
        for a in raw["actions"]:
            a = dict(a)
            a["from_stages"] = tuple(a.pop("from"))
            a["to_stage"] = a.pop("to", None)
            for key in ("roles", "guards", "warnings", "documents", "recordings", "opens", "closes"):
                a[key] = tuple(a.get(key, ()))
            actions[a["code"]] = Action(**a)
        procedure = Procedure(
            code=raw["code"],
            version=raw["version"],
            name=raw["name"],
            category=raw["category"],
            effective_from=raw["effective_from"],
            initial_stage=raw["initial_stage"],
            stages=stages,
            actions=actions,
            deadlines=deadlines,
            basis=raw.get("basis", ""),
            numbering=raw.get("numbering", "create"),
            number_pattern=raw.get("number_pattern", "{简称}〔{年}〕{序号}号"),
            raw=raw,
        )
    except (KeyError, TypeError) as exc:
        raise DefinitionError(f"程序定义缺少或含有不认识的项目：{exc}") from exc
    _check(procedure)
    return procedure


def _check(p: Procedure) -> None:
    from .guards import GUARDS, WARNINGS
    from .handlers import HANDLERS

    if p.numbering != "create" and p.numbering not in p.actions:
        raise DefinitionError(f"{p.name}：编号操作 {p.numbering} 未定义。")
    if p.initial_stage not in p.stages:
        raise DefinitionError(f"{p.name}：初始阶段 {p.initial_stage} 未定义。")
    for a in p.actions.values():
        unknown = [s for s in (*a.from_stages, a.to_stage) if s and s not in p.stages]
        unknown += [g for g in a.guards if g not in GUARDS]
        unknown += [w for w in a.warnings if w not in WARNINGS]
        unknown += [
            d
            for d in (*a.opens, *a.closes, *filter(None, (a.extends, a.suspends, a.resumes)))
            if d not in p.deadlines
        ]
        for code in filter(None, (a.suspends, a.resumes)):
            if code in p.deadlines and not p.deadlines[code].excludes:
                raise DefinitionError(
                    f"{p.name}：期限“{p.deadlines[code].name}”没有规定不计入期限的情形，不能中止。"
                )
        if a.handler and a.handler not in HANDLERS:
            unknown.append(a.handler)
        if unknown:
            raise DefinitionError(f"{p.name}：操作“{a.name}”引用了未定义的 {', '.join(unknown)}。")
    for d in p.deadlines.values():
        if d.unit not in ("work", "natural") or [d.days, d.setting, d.days_from].count(None) != 2:
            raise DefinitionError(f"{p.name}：期限“{d.name}”须写明工作日或自然日，并给出天数或参数之一。")


def bundled() -> list[tuple[dict, str]]:
    """Every definition file shipped with Zhifa: (raw dict, sha-256 of its canonical JSON)."""
    out = []
    for path in sorted(PROCEDURE_DIR.glob("*.toml")):
        raw = tomllib.loads(path.read_text("utf-8"))
        canonical = json.dumps(raw, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        out.append((raw, hashlib.sha256(canonical.encode()).hexdigest()))
    return out


_parsed: dict[tuple[int, str], Procedure] = {}


def procedure_of(version) -> Procedure:
    """The parsed definition of a ProcedureVersion row. Rows are never edited (a change is a new
    version), so the parse is cached per row."""
    key = (version.pk, version.source_digest)
    if key not in _parsed:
        _parsed[key] = parse(version.definition)
    return _parsed[key]
