"""File starts that content sniffing recognises, for tests that upload stand-in bytes."""

from __future__ import annotations

import io

JPEG_HEAD = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
# An ISO base media file's first box: size 24, "ftyp", major brand isom, minor 0x200, two brands.
MP4_HEAD = b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2"
# A 64-bit x86 ELF header's first 16 bytes, and an MS-DOS/PE stub's start ("MZ", e_lfanew 0x80).
ELF_HEAD = b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00\x01\x00\x00\x00"
PE_HEAD = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + bytes(44) + b"\x80\x00\x00\x00"


def photo(payload: bytes = b"") -> bytes:
    """A JPEG start followed by ``payload``."""
    return JPEG_HEAD + payload


def mp4(payload: bytes = b"") -> bytes:
    """An MP4 start followed by ``payload``."""
    return MP4_HEAD + payload


def real_image(fmt: str, size=(32, 24)) -> bytes:
    """A real image file written by Pillow (``fmt``: "JPEG", "PNG", ...)."""
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, fmt)
    return buffer.getvalue()
