"""Demo org tree: 示范市 (379900) with 东城区, 西城区 and 南山县."""

from zhifa.accounts.models import User
from zhifa.accounts.roles import Role
from zhifa.accounts.services import assign_roles
from zhifa.core.demo import DEMO_PASSWORD, DemoContext
from zhifa.core.testing import make_credit_code

from .models import EnforcementField, Entrustment, Organization, OrgKind, Region, SubjectKind

FIELDS = [
    ("SCJG", "市场监管"),
    ("STHJ", "生态环境"),
    ("JTYS", "交通运输"),
    ("YJGL", "应急管理"),
    ("WSJK", "卫生健康"),
    ("CSGL", "城市管理"),
    ("NYNC", "农业农村"),
    ("WHLY", "文化市场"),
    ("ZRZY", "自然资源"),
    ("SFXZ", "司法行政"),
    ("ZHZF", "综合行政执法"),
]

ORGAN, AUTHORIZED, ENTRUSTED = SubjectKind.ADMINISTRATIVE_ORGAN, SubjectKind.AUTHORIZED, SubjectKind.ENTRUSTED

# (region key, name, short name, subject kind, fields, departments, is_legal_office)
AGENCIES = [
    ("city", "示范市司法局", "示司", ORGAN, ["SFXZ"], ["行政执法协调监督科"], True),
    ("city", "示范市市场监督管理局", "示市监", ORGAN, ["SCJG"], ["执法稽查支队", "法制科"], False),
    ("city", "示范市生态环境局", "示环", ORGAN, ["STHJ"], ["生态环境保护综合执法支队", "法规科"], False),
    ("city", "示范市交通运输局", "示交", ORGAN, ["JTYS"], ["法规科"], False),
    ("city", "示范市交通运输综合执法支队", "示交执", AUTHORIZED, ["JTYS"], ["第一大队"], False),
    ("city", "示范市应急管理局", "示应急", ORGAN, ["YJGL"], ["执法监察支队"], False),
    ("city", "示范市卫生健康委员会", "示卫健", ORGAN, ["WSJK"], ["卫生监督所"], False),
    ("east", "东城区司法局", "东司", ORGAN, ["SFXZ"], [], True),
    ("east", "东城区市场监督管理局", "东市监", ORGAN, ["SCJG"], ["执法大队", "法制科"], False),
    ("west", "西城区司法局", "西司", ORGAN, ["SFXZ"], [], True),
    ("west", "西城区综合行政执法局", "西综执", ORGAN, ["ZHZF", "CSGL"], ["执法一中队", "法制科"], False),
    ("south", "南山县司法局", "南司", ORGAN, ["SFXZ"], [], True),
    ("south", "南山县城市管理局", "南城管", ORGAN, ["CSGL"], ["执法大队"], False),
    ("south", "南山县青石镇综合执法队", "青石执", ENTRUSTED, ["CSGL"], [], False),
]


def load(ctx: DemoContext) -> None:
    province = Region.objects.get_or_create(code="370000", defaults={"name": "山东省"})[0]
    city = Region.objects.create(code="379900", name="示范市", parent=province)
    ctx.regions.update(
        city=city,
        east=Region.objects.create(code="379902", name="东城区", parent=city),
        west=Region.objects.create(code="379903", name="西城区", parent=city),
        south=Region.objects.create(code="379921", name="南山县", parent=city),
    )
    for order, (code, name) in enumerate(FIELDS, 1):
        ctx.fields[code] = EnforcementField.objects.get_or_create(
            code=code, defaults={"name": name, "order": order}
        )[0]

    add_child = Organization.objects.add_child
    city_gov = Organization.objects.add_root(
        instance=Organization(kind=OrgKind.GOVERNMENT, name="示范市人民政府", region=city)
    )
    ctx.governments["city"] = city_gov
    for key, label in (("east", "东城区"), ("west", "西城区"), ("south", "南山县")):
        ctx.governments[key] = add_child(
            city_gov,
            instance=Organization(kind=OrgKind.GOVERNMENT, name=f"{label}人民政府", region=ctx.regions[key]),
        )

    by_name = {}
    for serial, (key, name, short, kind, fields, departments, legal_office) in enumerate(AGENCIES, 1):
        region = ctx.regions[key]
        agency = add_child(
            ctx.governments[key],
            instance=Organization(
                kind=OrgKind.AGENCY,
                name=name,
                short_name=short,
                region=region,
                subject_kind=kind,
                credit_code=make_credit_code(
                    region.code, 900 + serial, prefix="11" if kind == ORGAN else "12"
                ),
                address=f"{region.name}人民路{serial * 8}号",
                complaint_phone=f"0539-{6100000 + serial * 1111}",
                is_legal_office=legal_office,
                duties=f"依法承担本行政区域内{'、'.join(ctx.fields[f].name for f in fields)}领域的行政执法工作。",
            ),
        )
        agency.fields.set([ctx.fields[f] for f in fields])
        for department in departments:
            add_child(agency, instance=Organization(kind=OrgKind.DEPARTMENT, name=department, region=region))
        ctx.agencies.append(agency)
        by_name[name] = agency

    Entrustment.objects.create(
        entrusting=by_name["南山县城市管理局"],
        entrusted=by_name["南山县青石镇综合执法队"],
        agreement_number="南城管委〔2025〕1号",
        matters="青石镇辖区内违反市容环境卫生管理规定行为的行政处罚",
        powers="警告、罚款（单次不超过5000元）；以委托机关名义实施，不得再委托",
        start_date=ctx.today.replace(year=ctx.today.year - 1, month=1, day=1),
        end_date=ctx.today.replace(year=ctx.today.year + 1, month=12, day=31),
    )
    _users(ctx, by_name, city_gov)


def _users(ctx: DemoContext, by_name: dict, city_gov) -> None:
    def user(username, full_name, org, *roles):
        u = User.objects.create_user(username, password=DEMO_PASSWORD, full_name=full_name, organization=org)
        assign_roles(u, roles)
        ctx.logins.append((username, "、".join(Role(r).label for r in roles), org.name))

    user("demo_admin", "系统管理员", city_gov, Role.ADMIN)
    user("demo_supervisor", "周监督", by_name["示范市司法局"], Role.SUPERVISOR)
    user("demo_east_supervisor", "吴监督", by_name["东城区司法局"], Role.SUPERVISOR)
    user("demo_market_head", "郑局长", by_name["示范市市场监督管理局"], Role.AGENCY_HEAD)
    user("demo_market_division", "王科长", by_name["示范市市场监督管理局"], Role.DIVISION_HEAD)
    user("demo_market_reviewer", "冯审核", by_name["示范市市场监督管理局"], Role.REVIEWER)
    user("demo_market_officer", "陈执法", by_name["示范市市场监督管理局"], Role.OFFICER)
    user("demo_east_officer", "褚执法", by_name["东城区市场监督管理局"], Role.OFFICER)
