"""Pure evidence rules: P4 kinds, R3 timeliness on the working-day calendar, tus wire format."""

import base64
import hashlib
from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from zhifa.records import evidence_rules as rules
from zhifa.records.models import EvidenceKind
from zhifa.workdays.rules import Calendar

# A National Day week in the shape of the State Council notice: 10-01..10-08 off, the Sunday
# before and the Saturday after worked (调休).
HOLIDAYS = frozenset(date(2026, 10, d) for d in range(1, 9))
NATIONAL_DAY = Calendar(HOLIDAYS, frozenset({date(2026, 9, 27), date(2026, 10, 10)}), frozenset({2026}))


def test_p4_evidence_kinds_are_the_eight_of_article_46():
    assert EvidenceKind.labels == [
        "书证",
        "物证",
        "视听资料",
        "电子数据",
        "证人证言",
        "当事人的陈述",
        "鉴定意见",
        "勘验笔录、现场笔录",
    ]


def test_r3_upload_within_two_working_days_across_a_holiday_is_on_time():
    # Captured on the last working day before the holiday: the two working days are 10-09 and
    # the 调休 Saturday 10-10, so uploading on 10-09 (or even during the holiday) is on time.
    lateness = rules.upload_lateness(NATIONAL_DAY, date(2026, 9, 30), date(2026, 10, 9))
    assert lateness == rules.Lateness(date(2026, 10, 10), 0, False)
    assert not rules.upload_lateness(NATIONAL_DAY, date(2026, 9, 30), date(2026, 10, 5)).is_late
    # On weekends-only counting the due day would have been 10-02 and 10-09 five days late.
    assert rules.upload_lateness(Calendar(), date(2026, 9, 30), date(2026, 10, 9)).days_late == 5


def test_r3_late_days_count_working_days_after_the_due_day():
    late = rules.upload_lateness(NATIONAL_DAY, date(2026, 9, 30), date(2026, 10, 13))
    assert late.is_late and late.due_on == date(2026, 10, 10) and late.days_late == 2  # 10-12, 10-13
    # Due day itself: on time; a weekend upload after the due day counts no working day yet.
    assert not rules.upload_lateness(Calendar(), date(2026, 11, 18), date(2026, 11, 20)).is_late
    weekend = rules.upload_lateness(Calendar(), date(2026, 11, 18), date(2026, 11, 22))
    assert weekend.due_on == date(2026, 11, 20) and weekend.days_late == 0


def test_r3_lateness_is_provisional_in_a_year_without_holiday_data():
    assert rules.upload_lateness(Calendar(), date(2027, 3, 1), date(2027, 3, 2)).provisional


def test_tus_metadata_roundtrip_and_errors():
    header = rules.encode_metadata({"case": "12", "filename": "现场照片.jpg", "unknown": "x"})
    assert rules.parse_metadata(header) == {"case": "12", "filename": "现场照片.jpg"}
    assert rules.parse_metadata("kind") == {"kind": ""}
    with pytest.raises(rules.RuleError, match="Base64"):
        rules.parse_metadata("case 不是base64")
    with pytest.raises(rules.RuleError, match="重复"):
        rules.parse_metadata("case MQ==,case Mg==")


def test_upload_checksum_header():
    digest = hashlib.sha1(b"abc").digest()
    assert rules.parse_checksum("sha1 " + base64.b64encode(digest).decode()) == ("sha1", digest)
    with pytest.raises(rules.RuleError, match="不支持的校验算法"):
        rules.parse_checksum("crc32 AAAA")


def test_media_type_from_content_type_or_name():
    assert rules.media_type_for("image/jpeg") == "photo"
    assert rules.media_type_for("video/mp4") == "video"
    assert rules.media_type_for("audio/amr") == "audio"
    assert rules.media_type_for("application/pdf") == "document"
    assert rules.media_type_for("", "笔录.pdf") == "document"
    assert rules.media_type_for("application/octet-stream", "chat.db") == "data"


def test_captured_at_is_parsed_and_not_in_the_future():
    now = timezone.make_aware(datetime(2026, 11, 20, 10, 0))
    assert rules.parse_captured_at("2026-11-20T09:30", now) == timezone.make_aware(
        datetime(2026, 11, 20, 9, 30)
    )
    assert rules.parse_captured_at("2026-11-20T01:30:00Z", now).hour == 1
    with pytest.raises(rules.RuleError, match="不能晚于当前时间"):
        rules.parse_captured_at((now + timedelta(hours=1)).isoformat(), now)
    with pytest.raises(rules.RuleError, match="格式不正确"):
        rules.parse_captured_at("昨天", now)


def test_content_addressed_names_and_streamed_hashing():
    digest = hashlib.sha256(b"x" * 10).hexdigest()
    assert rules.blob_storage_name("sha256", digest) == f"blobs/sha256/{digest[:2]}/{digest[2:4]}/{digest}"
    assert rules.hash_chunks([b"x" * 4, b"x" * 6], "sha256") == (digest, 10)
    assert rules.hash_chunks([b"abc"], "sm3")[0] == hashlib.new("sm3", b"abc").hexdigest()


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=990-5000", (990, 999)),
        ("bytes=1000-", False),
        ("bytes=50-10", False),
        ("bytes=-0", False),
        ("bytes=0-1,5-6", None),
        ("items=0-1", None),
        ("", None),
        ("bytes=" + "9" * 5000 + "-", None),  # int() of it would raise: no usable range
        ("bytes=٠-٩", None),  # Arabic-Indic digits are not a range
    ],
)
def test_byte_ranges_of_rfc_9110(header, expected):
    assert rules.byte_range(header, 1000) == expected
