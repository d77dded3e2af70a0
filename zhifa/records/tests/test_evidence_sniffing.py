"""Content sniffing of evidence uploads: the first bytes decide what a file really is. Programs
and scripts are never stored; a photo, recording or document must be what it is declared to be
(P4: evidence must be verified true; R1: the audio/video record is a real recording)."""

import codecs
import io
import os
import wave
import zipfile
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from zhifa.records import evidence_rules as rules
from zhifa.records.models import Blob, Evidence, EvidenceUpload
from zhifa.records.tus import staging_path

from .samples import ELF_HEAD, MP4_HEAD, PE_HEAD, mp4, real_image

ELF_AS_MP4 = "文件名为“现场.mp4”，但内容是可执行程序（ELF），不予接收。"


def wav_bytes() -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1), out.setsampwidth(2), out.setframerate(8000)
        out.writeframes(bytes(800))
    return buffer.getvalue()


def zip_bytes(first_member: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(first_member, "x")
        archive.writestr("other.txt", "y")
    return buffer.getvalue()


def xlsx_bytes() -> bytes:
    import openpyxl

    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


def ftyp(brand: bytes) -> bytes:
    return b"\x00\x00\x00\x14ftyp" + brand + b"\x00\x00\x00\x00" + brand


# --- The pure rule --------------------------------------------------------------------------------
KNOWN = [
    (lambda: real_image("JPEG"), "jpeg", {"photo"}),
    (lambda: real_image("PNG"), "png", {"photo"}),
    (lambda: real_image("GIF"), "gif", {"photo"}),
    (lambda: real_image("WEBP"), "webp", {"photo"}),
    (lambda: real_image("TIFF"), "tiff", {"photo"}),
    (lambda: ftyp(b"heic"), "heif", {"photo"}),
    (lambda: ftyp(b"mif1"), "heif", {"photo"}),
    (lambda: MP4_HEAD, "mp4", {"video", "audio"}),
    (lambda: ftyp(b"qt  "), "mov", {"video", "audio"}),
    (lambda: ftyp(b"3gp4"), "3gp", {"video", "audio"}),
    (lambda: ftyp(b"M4A "), "m4a", {"audio"}),
    (lambda: b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\x82\x84webm", "mkv", {"video", "audio"}),
    (lambda: b"RIFF\x00\x10\x00\x00AVI LIST", "avi", {"video"}),
    (wav_bytes, "wav", {"audio"}),
    (lambda: b"ID3\x04\x00\x00\x00\x00\x00\x00", "mp3", {"audio"}),
    (lambda: b"\xff\xfb\x90\x64" + bytes(100), "mp3", {"audio"}),
    (lambda: b"\xff\xf1\x50\x80\x02\x1f\xfc", "aac", {"audio"}),
    (lambda: b"#!AMR\n\x3c", "amr", {"audio"}),
    (lambda: b"OggS\x00\x02" + bytes(20), "ogg", {"audio", "video"}),
    (lambda: b"fLaC\x00\x00\x00\x22", "flac", {"audio"}),
    (lambda: bytes([0x47]) + bytes(187) + bytes([0x47]) + bytes(187) + bytes([0x47]), "mpeg-ts", {"video"}),
    (lambda: real_image("PDF"), "pdf", {"document"}),
    (xlsx_bytes, "office", {"document"}),
    (lambda: zip_bytes("[Content_Types].xml"), "office", {"document"}),
    (lambda: zip_bytes("OFD.xml"), "ofd", {"document"}),
    (lambda: zip_bytes("照片/1.jpg"), "zip", {"document"}),
    (lambda: bytes.fromhex("d0cf11e0a1b11ae1") + bytes(24), "ole", {"document"}),
    (lambda: "日期,地点,当事人\n2026-03-01,人民路1号,某超市\n".encode("gb18030"), "text", {"document"}),
    (lambda: "现场检查记录".encode()[:-1], "text", {"document"}),  # a character cut at the end
    (lambda: codecs.BOM_UTF16_LE + "询问笔录".encode("utf-16-le"), "text", {"document"}),
    (lambda: b"MZ is how this note begins, plain text.", "text", {"document"}),
]


@pytest.mark.parametrize(("make", "code", "media"), KNOWN, ids=[f"{k[1]}-{i}" for i, k in enumerate(KNOWN)])
def test_p4_sniff_recognises_real_formats_from_their_first_bytes(make, code, media):
    sniffed = rules.sniff(make()[: rules.SNIFF_BYTES])
    assert sniffed.code == code and sniffed.media == media and not sniffed.executable


EXECUTABLES = [
    (ELF_HEAD, "elf"),
    (PE_HEAD, "pe"),
    (b"\xcf\xfa\xed\xfe\x07\x00\x00\x01", "macho"),
    (b"\xca\xfe\xba\xbe\x00\x00\x00\x02", "macho"),  # universal binary with two architectures
    (b"\xca\xfe\xba\xbe\x00\x00\x00\x34", "java"),  # class file, major version 52
    (b"#!/bin/sh\nrm -rf /\n", "script"),
    (b"#!/usr/bin/env python3\n", "script"),
    (b"dex\n035\x00", "dex"),
    (zip_bytes("META-INF/MANIFEST.MF"), "jar"),
    (zip_bytes("AndroidManifest.xml"), "jar"),
]


@pytest.mark.parametrize(("head", "code"), EXECUTABLES, ids=[e[1] for e in EXECUTABLES])
def test_r1_executables_and_scripts_are_recognised_and_always_refused(head, code):
    sniffed = rules.sniff(head)
    assert sniffed.code == code and sniffed.executable and not sniffed.media
    for media_type in ("video", "data", "document"):
        refusal = rules.content_refusal(
            sniffed, filename="现场.mp4", content_type="video/mp4", media_type=media_type
        )
        assert refusal.startswith("文件名为“现场.mp4”，但内容是") and "不予接收" in refusal
        assert "《中华人民共和国网络安全法》第二十一条" in refusal


def test_r1_elf_named_mp4_message_names_declaration_and_real_content():
    refusal = rules.content_refusal(
        rules.sniff(ELF_HEAD), filename="现场.mp4", content_type="video/mp4", media_type="video"
    )
    assert refusal.startswith(ELF_AS_MP4)


def test_r1_an_executable_is_recognised_on_a_short_prefix_but_amr_is_not_a_script():
    assert rules.sniff(b"\x7fELF").executable and rules.sniff(b"#!/b").executable
    for prefix in (b"#", b"#!", b"#!A", b"#!AM", b"#!AMR", b"#!AMR-WB\n"):
        assert not rules.sniff(prefix).executable, prefix


def test_p4_png_declared_as_video_is_refused_naming_both():
    png = rules.sniff(real_image("PNG"))
    refusal = rules.content_refusal(png, filename="现场.mp4", content_type="video/mp4", media_type="video")
    assert refusal.startswith("文件名为“现场.mp4”，应为录像，但内容是PNG图片，与声明的类型不符，不予接收")
    assert "P4" in refusal and "第四十六条" in refusal
    # Each declaration counts: a right name with a wrong type or media type is refused too.
    assert "声明的文件类型为“video/mp4”" in rules.content_refusal(
        png, filename="现场.png", content_type="video/mp4", media_type="photo"
    )
    assert "载体类型为“录像”" in rules.content_refusal(
        png, filename="现场.png", content_type="image/png", media_type="video"
    )
    assert (
        rules.content_refusal(png, filename="现场.png", content_type="image/png", media_type="photo") is None
    )


def test_p4_data_takes_anything_but_a_program_and_audio_may_come_in_a_video_container():
    unknown = rules.sniff(os.urandom(rules.SNIFF_BYTES))
    assert unknown.code == "unknown"
    assert rules.content_refusal(unknown, filename="数据.dat", content_type="", media_type="data") is None
    refusal = rules.content_refusal(
        unknown, filename="录像.mp4", content_type="video/mp4", media_type="video"
    )
    assert "无法识别的格式" in refusal and "电子数据文件" in refusal
    zipped = rules.sniff(zip_bytes("照片/1.jpg"))
    assert (
        rules.content_refusal(zipped, filename="照片.zip", content_type="application/zip", media_type="data")
        is None
    )
    # A phone browser's audio recording is audio/webm in an EBML (Matroska) container.
    webm = rules.sniff(b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01")
    assert (
        rules.content_refusal(webm, filename="询问录音.webm", content_type="audio/webm", media_type="audio")
        is None
    )


def test_r1_a_program_or_script_file_name_is_refused_before_any_byte():
    assert "不予接收" in rules.dangerous_name("取证工具.EXE")
    assert rules.dangerous_name("启动.bat") and rules.dangerous_name("a.sh")
    assert rules.dangerous_name("现场.mp4") is None and rules.dangerous_name("无扩展名") is None


# --- The small-file form ---------------------------------------------------------------------------
def post_form(client, case, upload, key="k"):
    return client.post(
        reverse("records:case_evidence", args=[case.pk]),
        {
            "kind": "audiovisual",
            "captured_at": (timezone.localtime() - timedelta(hours=1)).strftime("%Y-%m-%dT%H:%M"),
            "request_key": key,
            "file": upload,
        },
    )


def nothing_stored(media) -> bool:
    blobs = media / "blobs"
    stored = [p for p in blobs.rglob("*") if p.is_file()] if blobs.exists() else []
    return not stored and not Evidence.objects.exists() and not Blob.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("head", "what"), [(ELF_HEAD, "可执行程序（ELF）"), (PE_HEAD, "可执行程序（Windows PE/MZ）")]
)
def test_r1_executable_named_mp4_is_refused_by_the_form(world, evidence_case, client_for, media, head, what):
    client = client_for(world.users["market_officer"])
    upload = SimpleUploadedFile("现场.mp4", head + os.urandom(5000), content_type="video/mp4")
    response = post_form(client, evidence_case, upload)
    assert response.status_code == 400
    assert f"文件名为“现场.mp4”，但内容是{what}，不予接收。" in response.content.decode()
    assert nothing_stored(media)


@pytest.mark.django_db
def test_p4_form_accepts_a_real_jpeg_and_png_and_a_pdf_document(world, evidence_case, client_for, media):
    client = client_for(world.users["market_officer"])
    files = [
        SimpleUploadedFile("现场照片.jpg", real_image("JPEG"), content_type="image/jpeg"),
        SimpleUploadedFile("价签.png", real_image("PNG"), content_type="image/png"),
        SimpleUploadedFile("检查笔录.pdf", real_image("PDF"), content_type="application/pdf"),
    ]
    for n, upload in enumerate(files):
        assert post_form(client, evidence_case, upload, key=f"k{n}").status_code == 302
    media_types = dict(Evidence.objects.values_list("original_filename", "media_type"))
    assert media_types == {"现场照片.jpg": "photo", "价签.png": "photo", "检查笔录.pdf": "document"}


@pytest.mark.django_db
def test_p4_form_refuses_a_png_named_mp4(world, evidence_case, client_for, media):
    client = client_for(world.users["market_officer"])
    upload = SimpleUploadedFile("现场.mp4", real_image("PNG"), content_type="video/mp4")
    response = post_form(client, evidence_case, upload)
    assert response.status_code == 400 and "但内容是PNG图片，与声明的类型不符" in response.content.decode()
    assert nothing_stored(media)


# --- tus ---------------------------------------------------------------------------------------------
def staged_files(staging) -> list:
    return list(staging.iterdir()) if staging.exists() else []


@pytest.mark.django_db
@pytest.mark.parametrize("head", [ELF_HEAD, PE_HEAD], ids=["elf", "pe"])
def test_r1_executable_named_mp4_is_refused_on_the_first_patch(tus_client, staging, media, head):
    data = head + os.urandom(1_000_000)
    url = tus_client.url(tus_client.create(len(data), filename="现场.mp4", filetype="video/mp4"))
    response = tus_client.patch(url, data[:65536], 0)
    assert response.status_code == 415
    assert response.content.decode().startswith("文件名为“现场.mp4”，但内容是可执行程序")
    # Staged bytes deleted and the upload terminated: nothing to resume, nothing stored.
    assert not staged_files(staging) and not EvidenceUpload.objects.exists()
    assert tus_client.head(url).status_code == 404
    assert tus_client.patch(url, data[65536:], 65536).status_code == 404
    assert nothing_stored(media)


@pytest.mark.django_db
def test_r1_executable_is_refused_even_when_the_first_patch_is_tiny(tus_client, staging):
    data = ELF_HEAD + os.urandom(100_000)
    url = tus_client.url(tus_client.create(len(data), filename="现场.mp4", filetype="video/mp4"))
    response = tus_client.patch(url, data[:16], 0)
    assert response.status_code == 415 and "可执行程序（ELF）" in response.content.decode()
    assert not staged_files(staging) and not EvidenceUpload.objects.exists()


@pytest.mark.django_db
def test_p4_png_declared_as_video_is_refused_once_its_start_has_arrived(tus_client, staging, media):
    data = real_image("PNG", size=(400, 300)) + bytes(5000)
    url = tus_client.url(tus_client.create(len(data), filename="现场录像.mp4", filetype="video/mp4"))
    # A prefix shorter than the examined start is only checked for programs.
    assert tus_client.patch(url, data[:1000], 0).status_code == 204
    response = tus_client.patch(url, data[1000:], 1000)
    assert response.status_code == 415 and "但内容是PNG图片，与声明的类型不符" in response.content.decode()
    assert not staged_files(staging) and not EvidenceUpload.objects.exists() and nothing_stored(media)


@pytest.mark.django_db
def test_p4_content_is_checked_again_on_completion(tus_client, staging, media):
    """After a crash the staged bytes were never examined; the upload's completion (here by
    HEAD's crash recovery) checks them before anything is stored."""
    data = ELF_HEAD + os.urandom(10_000)
    url = tus_client.url(tus_client.create(len(data), filename="现场.mp4", filetype="video/mp4"))
    staging_path(EvidenceUpload.objects.get().pk).write_bytes(data)
    assert tus_client.head(url).status_code == 415
    assert not staged_files(staging) and not EvidenceUpload.objects.exists() and nothing_stored(media)


@pytest.mark.django_db
def test_p4_tus_accepts_an_mp4_and_a_real_jpeg(tus_client):
    video = mp4(os.urandom(200_000))
    _, response = tus_client.upload(video, chunk=1000)  # many PATCHes before the start is complete
    assert response.status_code == 204
    photo = real_image("JPEG", size=(640, 480))
    tus_client.upload(photo, filename="现场照片.jpg", filetype="image/jpeg", kind="documentary")
    assert sorted(Evidence.objects.values_list("media_type", flat=True)) == ["photo", "video"]


@pytest.mark.django_db
def test_r1_program_file_name_is_refused_at_creation(tus_client):
    response = tus_client.create(1000, filename="取证工具.exe", filetype="application/x-msdownload")
    assert response.status_code == 415 and "可执行程序或脚本（.exe）" in response.content.decode()
    assert not EvidenceUpload.objects.exists()
