"""A tus 1.0.0 server (core, creation, termination, checksum) for evidence uploads.

Written here rather than taken from a library: django-tus (last release 2021, Django ≤ 3.1) keeps
upload state in the cache and has no checksum extension; the other Python servers target
aiohttp/ASGI. The protocol subset we need is small, and owning it lets the bytes go straight
into the evidence service (content addressing, R3, custody log) and the user's scope.

The received bytes are appended to ``<ZHIFA_UPLOAD_STAGING_DIR>/<id>.part``: the staging file's
size *is* the offset, so a crash mid-request keeps the received prefix and the client resumes from
HEAD's ``Upload-Offset``. The file is fsynced whenever it crosses a multiple of ``SYNC_BYTES`` and
when the last byte has arrived, before the evidence is recorded: a process crash loses nothing
(the page cache survives it); after a power loss the file ends where its data reached the disk
and HEAD reports that (a journalling file system such as ext4 or XFS never shows a longer file
with unwritten data), so the client re-sends at most ``SYNC_BYTES``. An fsync after every 8 MB
PATCH would cost one disk cache flush each and cut LAN throughput by half or more. A file lock keeps two connections
from writing the same upload at once. Request bodies are read from the stream in chunks, never
through ``request.body``.

The whole-file digest runs along with the bytes (:class:`RunningDigests`): the process that
receives the PATCHes hashes each chunk as it writes it, so finishing a 1 GB upload does not read
the file back; when the PATCHes of one upload reach different worker processes the digest is
computed from the staged file at the end instead. Synced ranges are dropped from the page cache:
nothing reads them again, and a large video should not push the database's pages out.

Content sniffing: as soon as the first bytes are staged they are checked (an executable already
on a shorter prefix, the declared type once ``SNIFF_BYTES`` have arrived) and again on
completion; a refusal answers 415 with the reason, deletes the staged bytes and ends the upload.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import threading
import uuid
from collections import OrderedDict
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.views import APIView

from . import evidence
from . import evidence_rules as rules
from .models import EvidenceUpload

EXPIRY = timedelta(days=7)
CHECKSUM_MISMATCH = 460
CONTENT_REFUSED = 415
SYNC_BYTES = 64 * 1024 * 1024


@dataclass
class RunningDigest:
    """A whole-file hasher and how many bytes from the file's start it has seen."""

    hasher: object
    offset: int

    def update(self, chunk: bytes) -> None:
        self.hasher.update(chunk)
        self.offset += len(chunk)

    def copy(self) -> RunningDigest:
        return RunningDigest(self.hasher.copy(), self.offset)


class RunningDigests:
    """The digests of the uploads this process is receiving, carried from one PATCH to the next.

    A digest is used only while it has seen exactly the staged file's bytes: a PATCH whose start
    offset differs (another process appended in between) or whose bytes were discarded leaves no
    digest, and the file is hashed when the upload finishes. Losing one costs only that reread,
    so the table is per process and bounded (an abandoned upload's entry is pushed out)."""

    def __init__(self, limit: int = 64):
        self._items: OrderedDict[uuid.UUID, RunningDigest] = OrderedDict()
        self._limit = limit
        self._lock = threading.Lock()

    def resume(self, upload: EvidenceUpload, offset: int) -> RunningDigest | None:
        """A working copy for bytes appended at ``offset``, or None if the bytes before it were not
        all hashed here."""
        if offset == 0:
            return RunningDigest(rules.new_hasher(upload.algorithm), 0)
        with self._lock:
            kept = self._items.get(upload.id)
        return kept.copy() if kept is not None and kept.offset == offset else None

    def keep(self, upload_id, running: RunningDigest | None, staged_size: int) -> None:
        """After a PATCH: keep ``running`` if it saw exactly the ``staged_size`` bytes; else the
        digest from before the PATCH still holds if its bytes were cut off again (460, 413)."""
        with self._lock:
            if running is not None and running.offset == staged_size:
                self._items.pop(upload_id, None)
                self._items[upload_id] = running
                while len(self._items) > self._limit:
                    self._items.popitem(last=False)
            elif (kept := self._items.get(upload_id)) is not None and kept.offset != staged_size:
                del self._items[upload_id]

    def forget(self, upload_id) -> None:
        with self._lock:
            self._items.pop(upload_id, None)

    def take(self, upload: EvidenceUpload) -> tuple[str, int] | None:
        """(digest, size) of the complete file if every byte was hashed here; forgets it."""
        with self._lock:
            kept = self._items.pop(upload.id, None)
        if kept is None or kept.offset != upload.length:
            return None
        return kept.hasher.hexdigest(), kept.offset


RUNNING_DIGESTS = RunningDigests()


def staging_dir() -> Path:
    path = Path(settings.ZHIFA_UPLOAD_STAGING_DIR)
    path.mkdir(parents=True, exist_ok=True)
    return path


def staging_path(upload_id) -> Path:
    return staging_dir() / f"{upload_id}.part"


def sweep_expired(now=None) -> int:
    """Free the staging space of uploads abandoned for longer than ``EXPIRY``: their partial files
    and rows go (an unfinished upload was never accepted evidence), and so do staging files that
    no upload row owns (a server stopped between creating the file and committing the row)."""
    now = now or timezone.now()
    expired = list(
        EvidenceUpload.objects.filter(evidence__isnull=True, expires_at__lt=now).values_list("pk", flat=True)
    )
    for upload_id in expired:
        staging_path(upload_id).unlink(missing_ok=True)
    EvidenceUpload.objects.filter(pk__in=expired).delete()
    known = {
        str(pk) for pk in EvidenceUpload.objects.filter(evidence__isnull=True).values_list("pk", flat=True)
    }
    cutoff = (now - EXPIRY).timestamp()
    for path in staging_dir().glob("*.part"):
        if path.stem not in known and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
    return len(expired)


def client_ip(request) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def tus_response(status: int, message: str = "", **headers) -> HttpResponse:
    response = HttpResponse(message, status=status, content_type="text/plain; charset=utf-8")
    response["Tus-Resumable"] = rules.TUS_VERSION
    response["Cache-Control"] = "no-store"
    for name, value in headers.items():
        response[name.replace("_", "-")] = str(value)
    return response


def _error_text(exc: ValidationError) -> str:
    return "；".join(exc.messages)


class TusView(APIView):
    """Shared protocol checks. Session users send Django's CSRF token as ``X-CSRFToken``."""

    def options(self, request, *args, **kwargs):
        return tus_response(
            204,
            Tus_Version=rules.TUS_VERSION,
            Tus_Extension=rules.TUS_EXTENSIONS,
            Tus_Max_Size=evidence.max_bytes(),
            Tus_Checksum_Algorithm=",".join(rules.CHUNK_CHECKSUM_ALGORITHMS),
        )

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if request.method != "OPTIONS" and request.headers.get("Tus-Resumable") != rules.TUS_VERSION:
            raise VersionMismatch()

    def handle_exception(self, exc):
        if isinstance(exc, VersionMismatch):
            return tus_response(412, "不支持的tus协议版本，请使用1.0.0。", Tus_Version=rules.TUS_VERSION)
        if isinstance(exc, PermissionDenied):
            return tus_response(403, str(exc) or "您无权执行此操作。")
        response = super().handle_exception(exc)
        response["Tus-Resumable"] = rules.TUS_VERSION
        return response


class VersionMismatch(Exception):
    pass


class UploadCreateView(TusView):
    """tus creation: POST with Upload-Length and Upload-Metadata creates an upload."""

    @extend_schema(
        summary="创建断点续传上传（tus 1.0.0 creation）",
        description=(
            "请求头：Tus-Resumable: 1.0.0；Upload-Length：文件字节数；Upload-Metadata：逗号分隔的"
            "“键 Base64值”，键为 case（案件ID）、kind（证据种类）、captured_at（采集时间 ISO 8601）、"
            "filename、filetype，可选 description、device、location、latitude、longitude、title、"
            "event（案件事件ID）、sha256 或 sm3（整个文件的十六进制摘要，完成时校验）。"
            "返回 201 与 Location（上传地址）。之后用 PATCH（Content-Type: application/offset+octet-stream，"
            "Upload-Offset，可选 Upload-Checksum）续传，HEAD 查询已接收字节数，DELETE 终止。"
        ),
        request=None,
        parameters=[
            OpenApiParameter("Tus-Resumable", str, OpenApiParameter.HEADER, required=True),
            OpenApiParameter("Upload-Length", int, OpenApiParameter.HEADER, required=True),
            OpenApiParameter("Upload-Metadata", str, OpenApiParameter.HEADER, required=True),
        ],
        responses={
            201: OpenApiResponse(description="已创建；Location 头为上传地址"),
            400: OpenApiResponse(description="元数据或长度有误（中文说明）"),
            413: OpenApiResponse(description="超过 Tus-Max-Size"),
        },
    )
    def post(self, request):
        try:
            length = rules.parse_length(request.headers.get("Upload-Length"), "文件长度（Upload-Length）")
            metadata = rules.parse_metadata(request.headers.get("Upload-Metadata", ""))
        except rules.RuleError as exc:
            return tus_response(400, str(exc))
        if length == 0:
            return tus_response(400, "文件是空的（0字节），请重新选择。")
        if length > evidence.max_bytes():
            return tus_response(413, evidence.too_large_message(length))
        algorithm = evidence.hash_algorithm()
        try:
            meta = evidence.validate_metadata(request.user, metadata, algorithm)
        except ValidationError as exc:
            status = CONTENT_REFUSED if isinstance(exc, evidence.ContentRefused) else 400
            return tus_response(status, _error_text(exc))
        upload = EvidenceUpload.objects.create(
            id=uuid.uuid4(),
            owner=request.user,
            case=meta.case,
            length=length,
            metadata=metadata,
            algorithm=algorithm,
            expires_at=timezone.now() + EXPIRY,
        )
        staging_path(upload.id).touch()
        location = request.build_absolute_uri(reverse("records-upload", args=[upload.id]))
        return tus_response(201, Location=location, Upload_Offset=0)


class UploadView(TusView):
    """tus core (HEAD, PATCH), termination (DELETE) and checksum for one upload."""

    def _upload(self, request, upload_id) -> EvidenceUpload | None:
        return (
            EvidenceUpload.objects.filter(pk=upload_id, owner=request.user).select_related("evidence").first()
        )

    def _gone(self, upload: EvidenceUpload) -> HttpResponse | None:
        if upload.evidence_id is None and upload.expires_at < timezone.now():
            staging_path(upload.id).unlink(missing_ok=True)
            EvidenceUpload.objects.filter(pk=upload.pk).delete()
            return tus_response(410, "该上传已过期（超过7天未完成），请重新选择文件上传。")
        return None

    @extend_schema(summary="查询已接收字节数（tus HEAD）", request=None, responses={200: None})
    def head(self, request, upload_id):
        upload = self._upload(request, upload_id)
        if upload is None:
            return tus_response(404, "上传不存在。")
        if gone := self._gone(upload):
            return gone
        offset = upload.length if upload.evidence_id else _staged_size(upload)
        response = None
        if upload.evidence_id is None and offset == upload.length:
            # Every byte arrived but the request that carried the last ones ended before the
            # evidence was recorded (a crash): finish now.
            response = self._finish(request, upload)
            if response.status_code != 204:
                return response
        headers = {"Upload_Offset": offset, "Upload_Length": upload.length}
        if upload.evidence_id or response is not None:
            upload.refresh_from_db()
            headers["Zhifa_Evidence_Url"] = upload.evidence.get_absolute_url()
        return tus_response(200, **headers)

    @extend_schema(
        summary="续传一段数据（tus PATCH）",
        request={rules.TUS_CONTENT_TYPE: OpenApiTypes.BINARY},
        parameters=[
            OpenApiParameter("Tus-Resumable", str, OpenApiParameter.HEADER, required=True),
            OpenApiParameter("Upload-Offset", int, OpenApiParameter.HEADER, required=True),
            OpenApiParameter("Upload-Checksum", str, OpenApiParameter.HEADER, description="如 sha1 <Base64>"),
        ],
        responses={
            204: OpenApiResponse(
                description="已接收；Upload-Offset 为新的偏移量。完成时 Zhifa-Evidence-Url 为证据页面"
            ),
            409: OpenApiResponse(description="Upload-Offset 与服务器不一致"),
            415: OpenApiResponse(
                description="文件内容是可执行程序/脚本或与声明的类型不符：已接收的数据已删除，上传终止"
            ),
            460: OpenApiResponse(description="校验值不一致，本段数据（或整个文件）未保存"),
        },
    )
    def patch(self, request, upload_id):
        upload = self._upload(request, upload_id)
        if upload is None:
            return tus_response(404, "上传不存在。")
        if gone := self._gone(upload):
            return gone
        if request.content_type != rules.TUS_CONTENT_TYPE:
            return tus_response(415, f"Content-Type 应为 {rules.TUS_CONTENT_TYPE}。")
        try:
            offset = rules.parse_length(request.headers.get("Upload-Offset"), "偏移量（Upload-Offset）")
            checksum = request.headers.get("Upload-Checksum")
            expected = rules.parse_checksum(checksum) if checksum else None
        except rules.RuleError as exc:
            return tus_response(400, str(exc))
        if upload.evidence_id:
            if offset == upload.length:
                return tus_response(204, Upload_Offset=upload.length)
            return tus_response(
                409, f"上传已完成，服务器已接收{upload.length}字节。", Upload_Offset=upload.length
            )
        path = staging_path(upload.id)
        if not path.exists():
            return tus_response(404, "上传的暂存文件不存在，请重新上传。")
        with open(path, "ab") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return tus_response(423, "该文件正在由另一个连接上传，请稍后再试。")
            current = os.fstat(handle.fileno()).st_size
            if offset != current:
                return tus_response(
                    409,
                    f"偏移量不一致：服务器已接收{current}字节，请求从第{offset}字节续传。",
                    Upload_Offset=current,
                )
            running = RUNNING_DIGESTS.resume(upload, current)
            result = _append(request, handle, upload.length - current, expected, running)
            new_offset = os.fstat(handle.fileno()).st_size
            refused = _sniff_staged(upload, path, current, new_offset)
            if refused is None:
                RUNNING_DIGESTS.keep(upload.id, running, new_offset)
            else:
                path.unlink(missing_ok=True)
                RUNNING_DIGESTS.forget(upload.id)
        if refused is not None:
            EvidenceUpload.objects.filter(pk=upload.pk).delete()
            return refused
        EvidenceUpload.objects.filter(pk=upload.pk).update(offset=new_offset)
        if result:
            return result
        if new_offset == upload.length:
            return self._finish(request, upload)
        return tus_response(204, Upload_Offset=new_offset)

    def _finish(self, request, upload: EvidenceUpload) -> HttpResponse:
        path = staging_path(upload.id)
        try:
            meta = evidence.validate_metadata(request.user, upload.metadata, upload.algorithm)
            with open(path, "rb") as handle:
                os.fsync(handle.fileno())  # every byte on disk before the evidence is recorded
                record = evidence.create_evidence(
                    request.user,
                    meta,
                    handle,
                    request_key=f"tus:{upload.id}",
                    ip=client_ip(request),
                    hashed=RUNNING_DIGESTS.take(upload),
                )
        except evidence.ContentRefused as exc:
            path.unlink(missing_ok=True)
            EvidenceUpload.objects.filter(pk=upload.pk).delete()
            return tus_response(CONTENT_REFUSED, _error_text(exc))
        except ValidationError as exc:
            if upload.algorithm in getattr(exc, "error_dict", {}):  # whole-file checksum mismatch
                path.unlink(missing_ok=True)
                EvidenceUpload.objects.filter(pk=upload.pk).delete()
                return tus_response(CHECKSUM_MISMATCH, _error_text(exc))
            return tus_response(400, _error_text(exc) + "已接收的数据仍保留，可联系管理员处理。")
        EvidenceUpload.objects.filter(pk=upload.pk).update(evidence=record, offset=upload.length)
        path.unlink(missing_ok=True)
        return tus_response(
            204,
            Upload_Offset=upload.length,
            Zhifa_Evidence_Url=record.get_absolute_url(),
            Zhifa_Evidence_Id=record.pk,
        )

    @extend_schema(summary="终止上传（tus termination）", request=None, responses={204: None})
    def delete(self, request, upload_id):
        upload = self._upload(request, upload_id)
        if upload is None:
            return tus_response(404, "上传不存在。")
        if upload.evidence_id:
            return tus_response(
                409, "该上传已形成证据，证据不得删除；如需停用请在证据页面注销并说明理由（R5）。"
            )
        path = staging_path(upload.id)
        if path.exists():
            with open(path, "ab") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return tus_response(423, "该文件正在上传，请先暂停上传再取消。")
                path.unlink()
        RUNNING_DIGESTS.forget(upload.id)
        EvidenceUpload.objects.filter(pk=upload.pk).delete()
        return tus_response(204)


def _sniff_staged(upload: EvidenceUpload, path: Path, before: int, after: int) -> HttpResponse | None:
    """Check the staged start of the file while it is still short of ``SNIFF_BYTES``, or in the
    request that completes them; later PATCHes are not examined again until completion."""
    needed = min(upload.length, rules.SNIFF_BYTES)
    if before >= needed or after == before:
        return None
    with open(path, "rb") as staged:
        head = staged.read(needed)
    try:
        evidence.check_content(head, *evidence.declared_type(upload.metadata), complete=after >= needed)
    except evidence.ContentRefused as exc:
        return tus_response(CONTENT_REFUSED, _error_text(exc))
    return None


def _staged_size(upload: EvidenceUpload) -> int:
    try:
        return staging_path(upload.id).stat().st_size
    except FileNotFoundError:
        return 0


def _append(request, handle, room: int, expected, running: RunningDigest | None) -> HttpResponse | None:
    """Append the request body to ``handle`` (at most ``room`` bytes), chunk by chunk, hashing
    what is written into ``running`` (the caller keeps it only if it matches what stays staged).

    A dropped connection keeps what arrived (the client resumes from HEAD's offset), unless the
    client sent a checksum: then the incomplete chunk cannot be verified and is discarded, as is
    a chunk whose checksum does not match (460).
    """
    start = handle.tell()
    hasher = hashlib.new(expected[0]) if expected else None
    raw = request._request
    error = None
    try:
        while chunk := raw.read(rules.CHUNK_SIZE):
            if len(chunk) > room:
                error = tus_response(413, "上传的数据超过了创建时声明的文件长度，本段数据未保存。")
                break
            handle.write(chunk)
            room -= len(chunk)
            if hasher:
                hasher.update(chunk)
            if running is not None:
                running.update(chunk)
    except OSError:  # the client went away mid-request
        error = tus_response(400, "连接中断，已保存收到的数据，请从服务器的偏移量继续上传。")
        if hasher:
            error = tus_response(400, "连接中断，本段数据无法校验，未保存，请重新发送。")
    if error is None and hasher and hasher.digest() != expected[1]:
        error = tus_response(
            CHECKSUM_MISMATCH, "本段数据校验失败（Upload-Checksum 不一致），未保存，请重新发送。"
        )
    if error is not None and (hasher or error.status_code == 413):
        handle.truncate(start)
    handle.flush()
    if os.fstat(handle.fileno()).st_size // SYNC_BYTES != start // SYNC_BYTES:
        os.fsync(handle.fileno())  # the last bytes are synced when the upload is finished
        if hasattr(os, "posix_fadvise"):  # clean now: let the page cache reuse these pages
            os.posix_fadvise(handle.fileno(), 0, 0, os.POSIX_FADV_DONTNEED)
    return error
