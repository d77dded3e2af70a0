"""Demo 执法人员 for the 示范市 agencies: certificates, 年审, training and exams.

Everything follows from ``ctx.rng``, so two loads with the same seed give the same people. The mix
is chosen so that every eligibility outcome appears: valid, expired, suspended, expiring soon,
年审 missing, short of training hours, contract staff without certificates, reviewers.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from io import BytesIO

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw

from zhifa.accounts.models import User
from zhifa.accounts.roles import Role
from zhifa.core.demo import DemoContext
from zhifa.core.rules import id_number_check_char
from zhifa.organizations.models import Organization, OrgKind

from .models import (
    AnnualInspection,
    Certificate,
    CertificateStatus,
    EmploymentType,
    ExamResult,
    Gender,
    InspectionResult,
    Officer,
    TrainingHours,
)

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉宇浩凯健俊帆帅旭宁龙林欣晨阳晓婷雪琳建国志新海波斌宏文博"
POSITIONS = [
    "科员",
    "一级科员",
    "四级主任科员",
    "三级主任科员",
    "副科长",
    "科长",
    "副大队长",
    "中队长",
    "执法队员",
]
TRAINING_TOPICS = [
    "《行政处罚法》修订解读",
    "行政执法“三项制度”实务",
    "执法文书规范制作",
    "执法全过程记录与执法记录仪使用",
    "行政强制法与查封扣押程序",
    "行政复议与行政诉讼应诉",
    "裁量基准适用",
    "执法礼仪与廉洁执法",
]
OFFICERS_PER_AGENCY = 11


def _name(rng) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))


def _id_number(rng, region_code: str, gender: str, serial: int) -> str:
    birth = date(rng.randint(1966, 1999), rng.randint(1, 12), rng.randint(1, 28))
    sequence = (serial * 2 + (1 if gender == Gender.MALE else 0)) % 1000  # unique per demo officer
    body = f"{region_code}{birth:%Y%m%d}{sequence:03d}"
    return body + id_number_check_char(body)


def _portrait(rng, key: str) -> ContentFile:
    """A plain generated ID-photo silhouette, so the demo shows photos without shipping any."""
    image = Image.new("RGB", (120, 160), rng.choice(["#d7e3f4", "#e8eef7", "#f2f2f2"]))
    draw = ImageDraw.Draw(image)
    shade = rng.choice(["#3b4252", "#4c566a", "#2e3440"])
    draw.ellipse((35, 25, 85, 85), fill=shade)
    draw.rounded_rectangle((15, 95, 105, 175), radius=30, fill="#1f3a68")
    buffer = BytesIO()
    image.save(buffer, "PNG")
    return ContentFile(buffer.getvalue(), name=f"demo-{key[-6:]}.png")


def _years_ago(day: date, years: int) -> date:
    return day.replace(year=day.year - years, day=min(day.day, 28))


class _Builder:
    def __init__(self, ctx: DemoContext):
        self.ctx = ctx
        self.rng = ctx.rng
        self.today = ctx.today
        self.serial = 0
        self.issuers = {a.region_id: a for a in ctx.agencies if a.is_legal_office}
        self.departments = {}
        for department in Organization.objects.filter(kind=OrgKind.DEPARTMENT):
            self.departments.setdefault(
                department.path[: len(department.path) - department.steplen], []
            ).append(department)

    def officer(
        self,
        agency,
        *,
        name=None,
        employment=EmploymentType.CIVIL_SERVANT,
        reviewer=False,
        user=None,
        unit=None,
    ):
        self.serial += 1
        rng = self.rng
        gender = rng.choice([Gender.MALE, Gender.MALE, Gender.FEMALE])
        units = [agency, *self.departments.get(agency.path, [])]
        legal = [u for u in units if "法制" in u.name or "法规" in u.name]
        if unit is None:
            unit = (legal or [agency])[0] if reviewer else rng.choice([u for u in units if u not in legal])
        officer = Officer(
            name=name or _name(rng),
            gender=gender,
            organization=unit,
            position=rng.choice(POSITIONS),
            employment_type=employment,
            id_number=_id_number(rng, agency.region.code, gender, self.serial),
            phone=f"13{rng.randint(0, 9)}{rng.randint(10000000, 99999999)}",
            user=user,
        )
        if reviewer:
            officer.position = "法制审核员"
            officer.legal_qualification_number = (
                f"A{rng.randint(2010, 2022)}{rng.randint(1000000000, 9999999999)}"
            )
            officer.legal_qualification_date = date(int(officer.legal_qualification_number[1:5]), 12, 20)
        if self.serial % 4 == 0:
            officer.photo = _portrait(rng, officer.id_number)
        officer.full_clean()
        officer.save()
        return officer

    def certificate(self, officer, agency, profile: str):
        rng, today = self.rng, self.today
        issued = _years_ago(today, rng.randint(1, 4)) - timedelta(days=rng.randint(0, 200))
        valid_until = _years_ago(issued, -5) - timedelta(days=1)
        status, reason = CertificateStatus.VALID, ""
        if profile == "expired":
            issued = _years_ago(today, 6)
            valid_until = today - timedelta(days=rng.randint(1, 300))
        elif profile == "expiring":
            valid_until = today + timedelta(days=rng.randint(5, 55))
            issued = _years_ago(valid_until, 5) + timedelta(days=1)
        elif profile == "suspended":
            status, reason = (
                CertificateStatus.SUSPENDED,
                "执法检查中未按规定出示执法证件，责令改正期间暂扣（S13）",
            )
        elif profile == "new":
            issued = today - timedelta(days=rng.randint(0, min(60, today.timetuple().tm_yday - 1)))
            valid_until = _years_ago(issued, -5)
        issuer = self.issuers.get(agency.region_id) or self.ctx.governments["city"]
        number = f"37{agency.region.code[2:]}{issued.year}{self.serial:04d}"
        certificate = Certificate.objects.create(
            number=number,
            officer=officer,
            issuing_authority=issuer,
            issued_on=issued,
            valid_until=valid_until,
            status=status,
            status_reason=reason,
            status_changed_on=today - timedelta(days=10) if reason else None,
        )
        certificate.fields.set(agency.fields.all())
        certificate.regions.set([agency.region])
        ExamResult.objects.create(
            officer=officer,
            date=issued - timedelta(days=rng.randint(20, 60)),
            subject="行政执法资格考试（公共法律知识）",
            score=Decimal(rng.randint(68, 96)),
            passed=True,
        )
        self.inspections(certificate, skip_last=profile == "no_inspection")
        return certificate

    def inspections(self, certificate, skip_last: bool):
        last = min(self.today.year - 1, certificate.valid_until.year)
        for year in range(certificate.issued_on.year, last + 1):
            if skip_last and year == self.today.year - 1:
                continue
            AnnualInspection.objects.create(
                certificate=certificate,
                year=year,
                result=InspectionResult.PASSED,
                inspected_on=min(date(year + 1, 2, 20), self.today),
                note="年度执法情况良好，审验合格。",
            )

    def training(self, officer, short: bool):
        rng, today = self.rng, self.today
        for year in (today.year - 2, today.year - 1):
            target = (
                rng.choice((24, 30, 36, 38))
                if short and year == today.year - 1
                else rng.choice((40, 44, 48, 56))
            )
            sessions = []
            while sum(sessions) < target:
                sessions.append(min(rng.choice((4, 6, 8, 12)), target - sum(sessions)))
            for hours in sessions:
                day = date(year, rng.randint(1, 12), rng.randint(1, 28))
                TrainingHours.objects.create(
                    officer=officer,
                    date=day,
                    hours=Decimal(hours),
                    topic=rng.choice(TRAINING_TOPICS),
                    organizer=rng.choice(["示范市司法局", "本单位", "省司法厅网络培训平台"]),
                )


PROFILES = ["ok"] * 7 + ["expired", "expiring", "suspended", "no_inspection", "short", "new"]


def load(ctx: DemoContext) -> None:
    builder = _Builder(ctx)
    rng = ctx.rng
    for agency in ctx.agencies:
        for index in range(OFFICERS_PER_AGENCY):
            if index == 0:
                builder.officer(
                    agency, employment=rng.choice([EmploymentType.CONTRACT, EmploymentType.TEMPORARY])
                )
                continue
            reviewer = index == 1 and not agency.is_legal_office
            officer = builder.officer(agency, reviewer=reviewer)
            profile = "ok" if reviewer else rng.choice(PROFILES)
            builder.certificate(officer, agency, profile)
            builder.training(officer, short=profile == "short")
    _link_demo_users(builder)


def _link_demo_users(builder: _Builder) -> None:
    """The demo 执法人员 and 法制审核人员 accounts get an Officer with a usable certificate."""
    for user in User.objects.filter(username__startswith="demo_").select_related("organization"):
        officer_role, reviewer = user.has_role(Role.OFFICER), user.has_role(Role.REVIEWER)
        if not (officer_role or reviewer) or user.organization is None:
            continue
        agency = user.organization.nearest(OrgKind.AGENCY)
        unit = user.organization if not reviewer else None
        officer = builder.officer(
            agency, name=user.full_name or user.username, reviewer=reviewer, user=user, unit=unit
        )
        builder.certificate(officer, agency, "ok")
        builder.training(officer, short=False)
