"""Form data for the actions whose 文书 need more than a date and a line, shared by the tests."""

from django.utils import timezone

TODAY = timezone.localdate()


def inspection(content="经营场所内商品未按规定明码标价。", **extra):
    return {
        "started_at": f"{TODAY.isoformat()}T09:30",
        "ended_at": f"{TODAY.isoformat()}T10:40",
        "place": "示范市人民路1号当事人经营场所",
        "present": "王某（法定代表人）",
        "recusal": "不申请回避",
        "content": content,
        "recorder": "李强",
        **extra,
    }


def hearing_record(**extra):
    return {
        "started_at": f"{TODAY.isoformat()}T09:00",
        "ended_at": f"{TODAY.isoformat()}T10:30",
        "attendees": "王某（当事人法定代表人）",
        "transcript": "主持人：宣布听证开始。\n调查人员：陈述违法事实、证据和处罚建议。\n当事人：对事实无异议，请求从轻处罚。",
        **extra,
    }


def closing(**extra):
    return {"execution": "当事人已按期缴纳罚款。", "reason": "行政处罚决定已执行完毕", **extra}


def record_video(case, user, activity="seizure"):
    """Attach a (tiny) video of ``activity`` to the case, as R2 requires before a 查封扣押."""
    import io
    import uuid

    from django.utils import timezone

    from zhifa.records import evidence
    from zhifa.records.tests.samples import mp4

    meta = evidence.validate_metadata(
        user,
        {
            "case": str(case.pk),
            "kind": "audiovisual",
            "activity": activity,
            "captured_at": timezone.now().isoformat(),
            "filename": "执法记录仪.mp4",
            "filetype": "video/mp4",
        },
    )
    return evidence.create_evidence(
        user, meta, io.BytesIO(mp4(uuid.uuid4().bytes * 64)), request_key=uuid.uuid4().hex
    )
