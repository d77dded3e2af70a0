"""Checks for uploaded files: size limits and content that matches the claimed kind.

A file is judged by its bytes, not its name: a PDF must start with ``%PDF-``; an image must be
decodable by Pillow to the end (a truncated upload fails here rather than in storage).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from PIL import Image, UnidentifiedImageError

IMAGE_FORMATS = {"JPEG", "PNG", "WEBP"}


def check_upload(upload, *, kinds: tuple[str, ...], max_bytes: int):
    if not upload or not hasattr(upload, "size"):
        return upload
    if upload.size == 0:
        raise ValidationError("上传的文件是空的，请重新选择。")
    if upload.size > max_bytes:
        raise ValidationError(
            f"文件过大（{filesizeformat(upload.size)}），不能超过{filesizeformat(max_bytes)}。"
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if "pdf" in kinds and head.startswith(b"%PDF-"):
        return upload
    if "image" in kinds:
        try:
            with Image.open(upload) as image:
                image_format = image.format
                image.load()  # decodes every byte, so a truncated file is caught
        except (
            UnidentifiedImageError,
            Image.DecompressionBombError,
            OSError,
            SyntaxError,
            ValueError,
        ) as exc:
            if "pdf" in kinds:
                raise ValidationError("文件不是有效的PDF或图片（JPEG、PNG），或已损坏、不完整。") from exc
            raise ValidationError("文件不是有效的图片（JPEG、PNG），或已损坏、不完整。") from exc
        finally:
            upload.seek(0)
        if image_format not in IMAGE_FORMATS:
            raise ValidationError("图片格式须为JPEG、PNG或WEBP。")
        return upload
    raise ValidationError("文件不是有效的PDF，或已损坏。")
