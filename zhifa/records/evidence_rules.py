"""Pure rules for evidence: P4 kinds, content sniffing, R3 timeliness, content addressing and the
tus wire format.

No database here; the services pass in the working-day calendar (zhifa.workdays.rules.Calendar).
"""

from __future__ import annotations

import base64
import codecs
import hashlib
import mimetypes
import re
from dataclasses import dataclass
from datetime import date, datetime

from django.utils import timezone

from zhifa.workdays import rules as workdays

P4_BASIS = "《中华人民共和国行政处罚法》第四十六条"
R3_BASIS = "执法全过程记录制度：执法人员应当在2个工作日内将执法音像记录存储至指定的存储设备"
R3_WORKDAYS = 2

HASH_ALGORITHMS = ("sha256", "sm3")
# Per-chunk checksums a tus client may send (tus checksum extension), by their tus names.
CHUNK_CHECKSUM_ALGORITHMS = ("sha1", "sha256", "md5", "sm3")
CHUNK_SIZE = 1024 * 1024  # bytes read or hashed at a time; a whole file is never held in memory

TUS_VERSION = "1.0.0"
TUS_EXTENSIONS = "creation,termination,checksum"
TUS_CONTENT_TYPE = "application/offset+octet-stream"
DIGEST_RE = {"sha256": re.compile(r"^[0-9a-f]{64}$"), "sm3": re.compile(r"^[0-9a-f]{64}$")}

METADATA_KEYS = frozenset(
    {
        "case",
        "kind",
        "media_type",
        "captured_at",
        "device",
        "location",
        "latitude",
        "longitude",
        "description",
        "title",
        "event",
        "filename",
        "filetype",
        "sha256",
        "sm3",
    }
)


class RuleError(ValueError):
    """Bad input, with a Chinese message for the user."""


def new_hasher(algorithm: str):
    if algorithm not in HASH_ALGORITHMS:
        raise RuleError(f"不支持的摘要算法“{algorithm}”；可用：SHA-256、SM3。")
    return hashlib.new(algorithm)


def blob_storage_name(algorithm: str, digest: str) -> str:
    """Where content-addressed bytes live: ``blobs/<alg>/<d0d1>/<d2d3>/<digest>``."""
    if not DIGEST_RE[algorithm].match(digest):
        raise RuleError("摘要值格式不正确。")
    return f"blobs/{algorithm}/{digest[:2]}/{digest[2:4]}/{digest}"


def hash_chunks(chunks, algorithm: str) -> tuple[str, int]:
    """(hex digest, byte count) of an iterable of byte chunks."""
    hasher, size = new_hasher(algorithm), 0
    for chunk in chunks:
        hasher.update(chunk)
        size += len(chunk)
    return hasher.hexdigest(), size


def read_chunks(handle, chunk_size: int = CHUNK_SIZE):
    while chunk := handle.read(chunk_size):
        yield chunk


# --- P4 and media ------------------------------------------------------------------------------
def media_type_for(content_type: str, filename: str = "") -> str:
    """photo / audio / video / document / data, from the MIME type (or the file name's suffix)."""
    content_type = (content_type or "").lower() or (mimetypes.guess_type(filename)[0] or "")
    major = content_type.split("/", 1)[0]
    if major == "image":
        return "photo"
    if major in ("audio", "video"):
        return major
    if content_type in DOCUMENT_TYPES or content_type.startswith("text/"):
        return "document"
    return "data"


DOCUMENT_TYPES = frozenset(
    {
        "application/pdf",
        "application/msword",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "application/vnd.ms-excel",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/ofd",
        "application/rtf",
    }
)


# --- Content sniffing (P4: evidence is what it is declared to be) ------------------------------
SNIFF_BYTES = 4096  # how much of a file's start is examined
EXEC_BASIS = "《中华人民共和国网络安全法》第二十一条"
MEDIA_LABELS = {"photo": "照片", "video": "录像", "audio": "录音", "document": "文档", "data": "电子数据文件"}

_PHOTO, _VIDEO, _AUDIO, _DOC = (frozenset({m}) for m in ("photo", "video", "audio", "document"))
_AV = _VIDEO | _AUDIO  # containers that also hold audio-only recordings (e.g. a browser's audio/webm)

# code -> (what the content is, in Chinese; the media types it can be evidence of; executable?)
CONTENT_KINDS: dict[str, tuple[str, frozenset, bool]] = {
    "jpeg": ("JPEG图片", _PHOTO, False),
    "png": ("PNG图片", _PHOTO, False),
    "gif": ("GIF图片", _PHOTO, False),
    "webp": ("WebP图片", _PHOTO, False),
    "bmp": ("BMP图片", _PHOTO, False),
    "tiff": ("TIFF图片", _PHOTO, False),
    "heif": ("HEIC/HEIF图片", _PHOTO, False),
    "mp4": ("MP4音视频", _AV, False),
    "mov": ("QuickTime（MOV）视频", _AV, False),
    "3gp": ("3GP音视频", _AV, False),
    "webm": ("WebM音视频", _AV, False),
    "mkv": ("Matroska（MKV）音视频", _AV, False),
    "avi": ("AVI视频", _VIDEO, False),
    "flv": ("FLV视频", _VIDEO, False),
    "asf": ("ASF/WMV音视频", _AV, False),
    "mpeg": ("MPEG视频", _VIDEO, False),
    "mpeg-ts": ("MPEG-TS视频", _VIDEO, False),
    "dav": ("大华DAV录像", _VIDEO, False),
    "imkh": ("海康威视录像", _VIDEO, False),
    "ogg": ("Ogg音视频", _AV, False),
    "m4a": ("M4A/AAC音频", _AUDIO, False),
    "aac": ("AAC音频", _AUDIO, False),
    "mp3": ("MP3音频", _AUDIO, False),
    "wav": ("WAV音频", _AUDIO, False),
    "amr": ("AMR音频", _AUDIO, False),
    "flac": ("FLAC音频", _AUDIO, False),
    "aiff": ("AIFF音频", _AUDIO, False),
    "pdf": ("PDF文档", _DOC, False),
    "office": ("Office文档（docx/xlsx/pptx）", _DOC, False),
    "odf": ("ODF/EPUB文档", _DOC, False),
    "ofd": ("OFD版式文档", _DOC, False),
    "zip": ("ZIP压缩包", _DOC, False),
    "ole": ("Office 97-2003文档", _DOC, False),
    "text": ("文本", _DOC, False),
    "elf": ("可执行程序（ELF）", frozenset(), True),
    "pe": ("可执行程序（Windows PE/MZ）", frozenset(), True),
    "macho": ("可执行程序（Mach-O）", frozenset(), True),
    "java": ("Java程序（class）", frozenset(), True),
    "jar": ("Java/安卓程序包（JAR/APK）", frozenset(), True),
    "dex": ("安卓程序（DEX）", frozenset(), True),
    "script": ("脚本程序（#!）", frozenset(), True),
    "lnk": ("Windows快捷方式", frozenset(), True),
    "unknown": ("无法识别的格式", frozenset(), False),
}


@dataclass(frozen=True)
class Sniffed:
    """What a file's first bytes say it really is."""

    code: str

    @property
    def label(self) -> str:
        return CONTENT_KINDS[self.code][0]

    @property
    def media(self) -> frozenset:
        """Media types (photo/video/audio/document) this content can be evidence of; every
        non-executable content can also be "data"."""
        return CONTENT_KINDS[self.code][1]

    @property
    def executable(self) -> bool:
        return CONTENT_KINDS[self.code][2]


_MACHO = (b"\xfe\xed\xfa\xce", b"\xfe\xed\xfa\xcf", b"\xce\xfa\xed\xfe", b"\xcf\xfa\xed\xfe")
_HEIF_BRANDS = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1", b"avif", b"avis"}
_AUDIO_BRANDS = {b"M4A ", b"M4B ", b"M4P ", b"F4A ", b"F4B "}
_QUICKTIME_ATOMS = {b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"}
_ASF = bytes.fromhex("3026b2758e66cf11a6d900aa0062ce6c")
_OLE = bytes.fromhex("d0cf11e0a1b11ae1")
_LNK = bytes.fromhex("4c0000000114020000000000c000000000000046")
_PREFIXES = (  # (magic at offset 0, code), checked in order
    (b"\x7fELF", "elf"),
    (b"dex\n", "dex"),
    (_LNK, "lnk"),
    (b"\xff\xd8\xff", "jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png"),
    (b"GIF87a", "gif"),
    (b"GIF89a", "gif"),
    (b"II*\x00", "tiff"),
    (b"MM\x00*", "tiff"),
    (b"\x1a\x45\xdf\xa3", "mkv"),
    (b"OggS", "ogg"),
    (b"fLaC", "flac"),
    (b"ID3", "mp3"),
    (b"#!AMR", "amr"),
    (b"FLV\x01", "flv"),
    (_ASF, "asf"),
    (b"\x00\x00\x01\xba", "mpeg"),
    (b"\x00\x00\x01\xb3", "mpeg"),
    (b"DHAV", "dav"),
    (b"IMKH", "imkh"),
    (_OLE, "ole"),
    (b"{\\rtf", "text"),
)
_RIFF = {b"WEBP": "webp", b"AVI ": "avi", b"WAVE": "wav"}
_TEXT_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x19\x1c-\x1f\x7f]")


def sniff(head: bytes) -> Sniffed:
    """Identify a file from its first bytes (``SNIFF_BYTES`` of them, or the whole file if shorter).

    Magic numbers first, then text (UTF-8, GB18030 or UTF-16 with a BOM, no NUL), then the weak
    MPEG audio frame sync. A shorter prefix still recognises every executable.
    """
    return Sniffed(_sniff_code(head))


def _sniff_code(head: bytes) -> str:
    if head.startswith(b"#!") and not b"#!AMR".startswith(head[:5]):
        return "script"
    if head[:4] == b"\xca\xfe\xba\xbe":  # Mach-O universal binaries and Java classes share it
        return "macho" if int.from_bytes(head[4:8], "big") < 20 else "java"
    if head[:4] in _MACHO:
        return "macho"
    if head[:2] == b"MZ":  # a DOS/PE header has NULs; plain text that happens to start "MZ" does not
        return "text" if _is_text(head) else "pe"
    for magic, code in _PREFIXES:
        if head.startswith(magic):
            return code
    return (
        _container(head)
        or ("pdf" if b"%PDF-" in head[:1024] else None)
        or ("text" if _is_text(head) else None)
        or _mpeg_audio(head)
        or "unknown"
    )


def _container(head: bytes) -> str | None:
    if head[:4] == b"RIFF":
        return _RIFF.get(head[8:12])
    if head[:4] == b"FORM" and head[8:12] in (b"AIFF", b"AIFC"):
        return "aiff"
    if head[4:8] == b"ftyp":
        brand = head[8:12]
        if brand in _HEIF_BRANDS:
            return "heif"
        if brand in _AUDIO_BRANDS:
            return "m4a"
        if brand[:3] in (b"3gp", b"3g2", b"3ge", b"3gg"):
            return "3gp"
        return "mov" if brand == b"qt  " else "mp4"
    if head[4:8] in _QUICKTIME_ATOMS:
        return "mov"
    if head[:2] == b"PK" and head[2:4] in (b"\x03\x04", b"\x05\x06"):
        return _zip(head)
    if head[:2] == b"BM" and head[6:10] == b"\x00\x00\x00\x00" and len(head) >= 26:
        return "bmp"
    if _mpeg_ts(head):
        return "mpeg-ts"
    return None


def _zip(head: bytes) -> str:
    """ZIP-based formats, told apart by the first member's name."""
    size = int.from_bytes(head[26:28], "little")
    name = head[30 : 30 + size]
    if name.startswith((b"META-INF/", b"AndroidManifest.xml", b"classes.dex")):
        return "jar"
    if name in (b"[Content_Types].xml", b"_rels/.rels") or name.startswith((b"docProps/", b"word/", b"xl/")):
        return "office"
    if name == b"mimetype":
        return "odf"
    if name == b"OFD.xml":
        return "ofd"
    return "zip"


def _mpeg_ts(head: bytes) -> bool:
    """188-byte transport packets (or 192-byte M2TS ones) each starting with the 0x47 sync byte."""
    for start, step in ((0, 188), (4, 192)):
        offsets = range(start, min(len(head), start + 3 * step), step)
        if len(offsets) >= 2 and all(head[i] == 0x47 for i in offsets):
            return True
    return False


def _is_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if not head or b"\x00" in head:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:  # incremental, so a character cut at the end of the prefix is not an error
            text = codecs.getincrementaldecoder(encoding)().decode(head, final=False)
        except UnicodeDecodeError:
            continue
        return not _TEXT_CONTROLS.search(text)
    return False


def _mpeg_audio(head: bytes) -> str | None:
    """An MPEG audio frame header: 11 sync bits; layer 0 is AAC (ADTS), otherwise MP3."""
    if len(head) < 4 or head[0] != 0xFF or head[1] & 0xE0 != 0xE0:
        return None
    if head[1] & 0x06 == 0:
        return "aac" if head[1] & 0xF6 == 0xF0 else None
    version_ok, bitrate, rate = (head[1] >> 3) & 3 != 1, head[2] >> 4, (head[2] >> 2) & 3
    return "mp3" if version_ok and bitrate not in (0, 15) and rate != 3 else None


def declared_media(filename: str, content_type: str, media_type: str) -> list[tuple[str, str]]:
    """What the client declared, as (Chinese description, media type it implies); "data" implies
    nothing."""
    result = []
    if mimetypes.guess_type(filename)[0]:
        result.append((f"文件名为“{filename}”", media_type_for("", filename)))
    if content_type and content_type != "application/octet-stream":
        result.append((f"声明的文件类型为“{content_type}”", media_type_for(content_type)))
    result.append((f"载体类型为“{MEDIA_LABELS.get(media_type, media_type)}”", media_type))
    return [(text, media) for text, media in result if media != "data"]


def content_refusal(sniffed: Sniffed, *, filename: str, content_type: str, media_type: str) -> str | None:
    """Why content sniffed as ``sniffed`` may not be stored as declared (Chinese), or None.

    Executables and scripts are always refused; otherwise the content must be able to be what
    the file name, the declared content type and the media type say (P4).
    """
    if sniffed.executable:
        return (
            f"文件名为“{filename}”，但内容是{sniffed.label}，不予接收。可执行程序和脚本不作为证据文件上传"
            f"（{EXEC_BASIS}）；如程序本身是需要固定的电子数据，请压缩为ZIP文件后以“电子数据文件”上传。"
        )
    for declared, media in declared_media(filename, content_type, media_type):
        if media not in sniffed.media:
            hint = "如为设备专用格式，请按实际格式命名，并将载体类型选为“电子数据文件”。"
            return (
                f"{declared}，应为{MEDIA_LABELS[media]}，但内容是{sniffed.label}，与声明的类型不符，"
                f"不予接收（P4，{P4_BASIS}：证据必须经查证属实）。{hint if sniffed.code == 'unknown' else ''}"
            )
    return None


DANGEROUS_SUFFIXES = frozenset(
    {".exe", ".com", ".scr", ".pif", ".bat", ".cmd", ".ps1", ".psm1", ".vbs", ".vbe", ".js", ".jse"}
    | {".wsf", ".wsh", ".hta", ".msi", ".msp", ".dll", ".cpl", ".lnk", ".jar", ".apk", ".sh", ".bash"}
    | {".csh", ".ksh", ".zsh", ".py", ".pl", ".rb", ".php"}
)


def dangerous_name(filename: str) -> str | None:
    """A refusal (Chinese) for a file named as a program or script, before any byte arrives."""
    suffix = ("." + filename.rsplit(".", 1)[-1].lower()) if "." in filename else ""
    if suffix not in DANGEROUS_SUFFIXES:
        return None
    return (
        f"文件“{filename}”是可执行程序或脚本（{suffix}），不予接收（{EXEC_BASIS}）；如程序本身是需要固定的"
        "电子数据，请压缩为ZIP文件后以“电子数据文件”上传。"
    )


# --- R3 ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Lateness:
    due_on: date
    days_late: int
    provisional: bool

    @property
    def is_late(self) -> bool:
        return self.days_late > 0


def upload_lateness(cal: workdays.Calendar, captured_on: date, uploaded_on: date) -> Lateness:
    """R3: a recording is uploaded within 2 working days after the capture day (D1, D3, D4).

    Late by the working days from the due day to the upload day; holidays and 调休 follow ``cal``.
    """
    due = workdays.add_workdays(cal, captured_on, R3_WORKDAYS)
    if uploaded_on <= due.date:
        return Lateness(due.date, 0, due.provisional)
    late = workdays.count_workdays(cal, due.date, uploaded_on)
    return Lateness(due.date, max(late.days, 0), due.provisional or late.provisional)


def parse_captured_at(text: str, now: datetime) -> datetime:
    """An ISO 8601 time (a bare date means 00:00 local); not in the future (5 minutes' leeway)."""
    text = (text or "").strip()
    if not text:
        raise RuleError("请填写采集时间。")
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise RuleError(f"采集时间“{text}”格式不正确，应为 2026-03-01T09:30 这样的格式。") from None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    if (value - now).total_seconds() > 300:
        raise RuleError("采集时间不能晚于当前时间。")
    return value


# --- tus wire format ------------------------------------------------------------------------------
def parse_metadata(header: str) -> dict[str, str]:
    """tus ``Upload-Metadata``: comma-separated ``key base64value`` pairs (value may be absent)."""
    result: dict[str, str] = {}
    for pair in filter(None, (p.strip() for p in (header or "").split(","))):
        key, _, encoded = pair.partition(" ")
        if not key or " " in encoded.strip():
            raise RuleError("上传元数据（Upload-Metadata）格式不正确。")
        try:
            value = base64.b64decode(encoded.strip(), validate=True).decode("utf-8") if encoded else ""
        except (ValueError, UnicodeDecodeError):
            raise RuleError(f"上传元数据“{key}”不是有效的Base64编码。") from None
        if key in result:
            raise RuleError(f"上传元数据“{key}”重复。")
        if key in METADATA_KEYS:
            result[key] = value
    return result


def encode_metadata(metadata: dict[str, str]) -> str:
    return ",".join(f"{k} {base64.b64encode(v.encode()).decode()}" for k, v in metadata.items())


def parse_checksum(header: str) -> tuple[str, bytes]:
    """tus ``Upload-Checksum``: ``<algorithm> <base64 digest>``."""
    algorithm, _, encoded = (header or "").strip().partition(" ")
    algorithm = algorithm.lower()
    if algorithm not in CHUNK_CHECKSUM_ALGORITHMS:
        raise RuleError(f"不支持的校验算法“{algorithm}”；可用：{'、'.join(CHUNK_CHECKSUM_ALGORITHMS)}。")
    try:
        return algorithm, base64.b64decode(encoded.strip(), validate=True)
    except ValueError:
        raise RuleError("校验值（Upload-Checksum）不是有效的Base64编码。") from None


def parse_length(value: str | None, name: str) -> int:
    if value is None or not value.strip().isdigit():
        raise RuleError(f"缺少或无效的{name}，应为非负整数。")
    return int(value)


def human_size(size: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.1f} {unit}"
        size /= 1024
    return str(size)


# ASCII digits only, and no more than a file size can have: anything else is no usable range.
_RANGE = re.compile(r"^bytes=([0-9]{0,18})-([0-9]{0,18})$")


def byte_range(header: str, size: int) -> tuple[int, int] | None | bool:
    """The first-to-last byte (inclusive) a ``Range: bytes=…`` header asks for (RFC 9110 §14.1.2),
    ``None`` when there is no usable single range (send the whole file), ``False`` when the range
    cannot be satisfied (416). Several ranges are answered with the whole file, as the RFC allows."""
    match = _RANGE.match((header or "").strip())
    if not match or size <= 0:
        return None
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # the final N bytes
        suffix = int(last)
        return (max(size - suffix, 0), size - 1) if suffix else False
    start = int(first)
    end = min(int(last), size - 1) if last else size - 1
    if start >= size or (last and int(last) < start):
        return False
    return start, end
