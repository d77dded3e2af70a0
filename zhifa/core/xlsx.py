"""Reading an uploaded .xlsx import file (officers, 裁量基准 …): size and format checks with Chinese
messages, header checks against the template's columns, and the non-blank data rows."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException


def open_workbook(upload):
    """The workbook of an upload, refused before parsing when too large or not an .xlsx file."""
    if upload.size > settings.ZHIFA_MAX_IMPORT_BYTES:
        limit = filesizeformat(settings.ZHIFA_MAX_IMPORT_BYTES)
        raise ValidationError(f"文件过大（{filesizeformat(upload.size)}），不能超过{limit}。")
    upload.seek(0)
    if upload.read(4) != b"PK\x03\x04":
        raise ValidationError(
            "文件不是Excel的.xlsx格式。请使用下载的模板，另存为“Excel工作簿(*.xlsx)”后上传。"
        )
    upload.seek(0)
    try:
        return load_workbook(upload, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ValidationError("文件已损坏或不是有效的.xlsx文件，无法读取。") from exc


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def header_problems(headers: list[str], columns: dict) -> list[str]:
    """Missing required columns, unknown and duplicated ones; ``columns`` maps a header to a tuple
    whose first item says whether it is required."""
    present = [h for h in headers if h]
    missing = [h for h, spec in columns.items() if spec[0] and h not in present]
    unknown = [h for h in present if h not in columns]
    duplicated = sorted({h for h in present if present.count(h) > 1})
    parts = []
    if missing:
        parts.append("缺少必需的列：" + "、".join(missing))
    if unknown:
        parts.append("无法识别的列：" + "、".join(unknown))
    if duplicated:
        parts.append("重复的列：" + "、".join(duplicated))
    return parts


def header_message(parts: list[str]) -> str | None:
    if parts:
        return "表头不正确（" + "；".join(parts) + "）。请下载模板，按模板的表头填写。"
    return None


def read_rows(
    upload, header_error: Callable[[list[str]], str | None], max_rows: int, *, as_text: bool
) -> list[tuple[int, dict]]:
    """(Excel row number, {header: value}) for every non-blank data row of the first sheet; values
    are stripped texts with ``as_text``, else the cells' own values."""
    workbook = open_workbook(upload)
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        headers = [cell_text(h) for h in next(rows, ())]
        if message := header_error(headers):
            raise ValidationError(message)
        data = []
        for number, values in enumerate(rows, start=2):
            if all(cell_text(v) == "" for h, v in zip(headers, values, strict=False) if h):
                continue  # a note in a column without a header is not data
            if len(data) >= max_rows:
                raise ValidationError(f"数据超过{max_rows}行，请分批导入。")
            convert = cell_text if as_text else (lambda v: v)
            data.append((number, {h: convert(v) for h, v in zip(headers, values, strict=False) if h}))
        return data
    finally:
        workbook.close()
