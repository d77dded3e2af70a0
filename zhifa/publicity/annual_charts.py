"""Horizontal bar charts of the 年报: one layout, drawn as inline SVG for the web pages and as a
PNG (Pillow, Noto CJK) for the PDF. No JavaScript, no external assets."""

from __future__ import annotations

import functools
import shutil
import subprocess
from dataclasses import dataclass
from io import BytesIO

from django.utils.html import escape
from django.utils.safestring import mark_safe

VALUE_WIDTH = 110
ROW_HEIGHT = 30
BAR_HEIGHT = 18
TOP = 10
COLOR = "#2f6f9f"


@dataclass(frozen=True)
class Bar:
    label: str
    value: object  # int, or a text such as 无相关职责
    text: str
    y: int
    width: float  # 0 for a text value


@dataclass(frozen=True)
class Chart:
    title: str
    bars: tuple[Bar, ...]
    width: int
    height: int
    plot_width: int
    label_width: int


def layout(title: str, rows, width: int = 640) -> Chart:
    """``rows``: (label, value) pairs; numbers get bars scaled to the largest, texts stay text."""
    rows = list(rows)
    label_width = min(max((len(label) for label, _v in rows), default=4) * 14 + 16, width // 2)
    plot = width - label_width - VALUE_WIDTH
    numbers = [v for _l, v in rows if isinstance(v, int | float)]
    top = max(numbers, default=0) or 1
    bars = tuple(
        Bar(
            label=label,
            value=value,
            text=f"{value:,}" if isinstance(value, int) else str(value),
            y=TOP + i * ROW_HEIGHT,
            width=(plot * value / top) if isinstance(value, int | float) else 0,
        )
        for i, (label, value) in enumerate(rows)
    )
    return Chart(title, bars, width, TOP * 2 + ROW_HEIGHT * len(rows), plot, label_width)


def svg(chart: Chart) -> str:
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {chart.width} {chart.height}" '
        f'width="100%" role="img" aria-label="{escape(chart.title)}" class="annual-chart">',
        f"<title>{escape(chart.title)}</title>",
    ]
    for bar in chart.bars:
        mid = bar.y + ROW_HEIGHT / 2
        parts.append(
            f'<text x="{chart.label_width - 8}" y="{mid:.1f}" text-anchor="end" dominant-baseline="middle" '
            f'font-size="13">{escape(bar.label)}</text>'
        )
        if bar.width:
            parts.append(
                f'<rect x="{chart.label_width}" y="{mid - BAR_HEIGHT / 2:.1f}" width="{max(bar.width, 1):.1f}" '
                f'height="{BAR_HEIGHT}" fill="{COLOR}"/>'
            )
        parts.append(
            f'<text x="{chart.label_width + bar.width + 6:.1f}" y="{mid:.1f}" dominant-baseline="middle" '
            f'font-size="13">{escape(bar.text)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


@functools.cache
def cjk_font() -> tuple[str, int] | None:
    """The file and face index of a Simplified Chinese font (fonts-noto-cjk), via fontconfig."""
    if not shutil.which("fc-match"):
        return None
    try:
        out = subprocess.run(
            ["fc-match", "-f", "%{file}|%{index}", "Noto Sans CJK SC:lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=10,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    path, _, index = out.partition("|")
    if "CJK" not in path and "cjk" not in path.lower():
        return None
    return path, int(index or 0)


def png(chart: Chart, scale: int = 2) -> bytes | None:
    """The chart as a PNG, or None when no Chinese font is installed (the PDF keeps its tables)."""
    from PIL import Image, ImageDraw, ImageFont

    found = cjk_font()
    if found is None:
        return None
    font = ImageFont.truetype(found[0], 13 * scale, index=found[1])
    image = Image.new("RGB", (chart.width * scale, chart.height * scale), "white")
    draw = ImageDraw.Draw(image)
    for bar in chart.bars:
        mid = (bar.y + ROW_HEIGHT / 2) * scale
        draw.text(((chart.label_width - 8) * scale, mid), bar.label, fill="black", font=font, anchor="rm")
        if bar.width:
            draw.rectangle(
                (
                    chart.label_width * scale,
                    mid - BAR_HEIGHT / 2 * scale,
                    (chart.label_width + max(bar.width, 1)) * scale,
                    mid + BAR_HEIGHT / 2 * scale,
                ),
                fill=COLOR,
            )
        draw.text(
            ((chart.label_width + bar.width + 6) * scale, mid), bar.text, fill="black", font=font, anchor="lm"
        )
    buffer = BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def report_charts(statistics: dict) -> list[Chart]:
    """The charts of a report, drawn from its (frozen) statistics only."""
    charts = [
        layout(
            f"{statistics['year']}年度六类行政执法行为数量",
            [(act["label"], act["value"]) for act in statistics["acts"]],
        )
    ]
    penalty = statistics.get("penalty") or {}
    if penalty.get("total"):
        charts.append(
            layout(
                "行政处罚决定按处罚种类（每件按最重种类计一次）",
                [(column["label"], column["count"]) for column in penalty["columns"]],
            )
        )
    inspection = statistics.get("inspection") or {}
    if inspection.get("total"):
        charts.append(layout("行政检查结果", [(row["label"], row["count"]) for row in inspection["results"]]))
    return charts
