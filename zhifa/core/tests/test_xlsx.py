"""The shared .xlsx import reader (officers, 裁量基准)."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from zhifa.core.xlsx import read_rows


def upload(rows) -> SimpleUploadedFile:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("导入.xlsx", buffer.getvalue())


def test_a_row_with_only_a_note_beside_the_table_is_blank():
    """Cells outside the template's columns (no header) are not data: a row holding only such a
    note is skipped, as a blank row is, instead of failing as an incomplete record."""
    rows = read_rows(
        upload(
            [
                ["编码", "名称", None],
                ["A1", "事项一", None],
                [None, None, "备注：以下为空"],
                [None, None, None],
            ]
        ),
        lambda headers: None,
        100,
        as_text=True,
    )
    assert rows == [(2, {"编码": "A1", "名称": "事项一"})]
