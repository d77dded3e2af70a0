"""执法流程图 (G1) drawn from the same procedure definition the engine runs.

``dot_source`` is pure (a Graphviz description of stages and actions); ``render_svg`` runs
Debian's ``dot`` to turn it into SVG, cached per procedure version.
"""

from __future__ import annotations

import subprocess

from .definitions import Procedure

NEWLINE = "\n"


def _quote(text: str) -> str:
    """A Graphviz string literal; line breaks become centred line breaks."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace(NEWLINE, "\\n")
    return f'"{escaped}"'


def dot_source(procedure: Procedure) -> str:
    """Stages are boxes; an action that moves the case is an arrow labelled with the action and
    the periods it starts; actions that keep the stage are listed inside the stage's box."""
    lines = [
        "digraph procedure {",
        '  graph [rankdir=TB, fontname="Noto Sans CJK SC", nodesep=0.4, ranksep=0.5];',
        '  node [shape=box, style="rounded,filled", fillcolor="#ffffff", color="#b3261e", '
        'fontname="Noto Sans CJK SC", fontsize=12];',
        '  edge [fontname="Noto Sans CJK SC", fontsize=10, color="#5c6370"];',
    ]
    staying: dict[str, list[str]] = {}
    for action in procedure.actions.values():
        if not action.to_stage:
            for source in action.from_stages:
                staying.setdefault(source, []).append(action.name)
    for stage in procedure.stages.values():
        label = NEWLINE.join([stage.name, *(f"· {name}" for name in staying.get(stage.code, []))])
        attrs = {"label": label}
        if stage.code == procedure.initial_stage:
            attrs["fillcolor"] = "#fdecea"
        if stage.final:
            attrs["shape"] = "doubleoctagon"
        rendered = ", ".join(f"{key}={_quote(value)}" for key, value in attrs.items())
        lines.append(f"  {_quote(stage.code)} [{rendered}];")
    for action in procedure.actions.values():
        if not action.to_stage:
            continue
        label = action.name
        opened = [procedure.deadlines[code].name for code in action.opens]
        if opened:
            label += NEWLINE + "（" + "、".join(opened) + "起算）"
        for source in action.from_stages:
            lines.append(f"  {_quote(source)} -> {_quote(action.to_stage)} [label={_quote(label)}];")
    lines.append("}")
    return NEWLINE.join(lines)


_svg_cache: dict[tuple[str, int], str] = {}


def render_svg(procedure: Procedure) -> str:
    key = (procedure.code, procedure.version)
    if key not in _svg_cache:
        try:
            result = subprocess.run(
                ["dot", "-Tsvg"],
                input=dot_source(procedure).encode(),
                capture_output=True,
                timeout=20,
                check=True,
            )
        except (FileNotFoundError, subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            raise RuntimeError("流程图生成失败：未安装 Graphviz（dot）或定义有误。") from exc
        svg = result.stdout.decode()
        _svg_cache[key] = svg[svg.index("<svg") :]  # drop the XML prologue so it can be inlined
    return _svg_cache[key]
