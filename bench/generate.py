"""Generate a province-sized registry quickly with bulk inserts (no per-row treebeard calls)."""

from __future__ import annotations

import random


def build_org_tree(n_agencies: int, rng: random.Random) -> dict:
    """省政府 → 16 市政府 → ~10 区县政府 each → agencies, each agency with one 内设机构.

    Returns {"agencies": [Organization], "governments": [...], "regions": [...]}.
    """
    from zhifa.core.testing import make_credit_code
    from zhifa.organizations.models import Organization, OrgKind, Region, SubjectKind

    province = Region.objects.create(code="370000", name="测试省")
    cities = Region.objects.bulk_create(
        [Region(code=f"37{c:02d}00", name=f"第{c}市", parent=province) for c in range(1, 17)]
    )
    counties = Region.objects.bulk_create(
        [
            Region(code=f"{city.code[:4]}{k:02d}", name=f"{city.name}第{k}区", parent=city)
            for city in cities
            for k in range(1, 11)
        ]
    )

    nodes: list[Organization] = []

    def node(parent_path, index, depth, **fields):
        org = Organization(
            path=Organization._get_path(parent_path, depth, index), depth=depth, numchild=0, **fields
        )
        nodes.append(org)
        return org

    root = node("", 1, 1, kind=OrgKind.GOVERNMENT, name="测试省人民政府", region=province)
    governments, agencies = [root], []
    per_county = max(1, -(-n_agencies // len(counties)))  # ceiling: at least n_agencies
    serial = 0
    for ci, city in enumerate(cities, 1):
        city_gov = node(root.path, ci, 2, kind=OrgKind.GOVERNMENT, name=f"{city.name}人民政府", region=city)
        governments.append(city_gov)
        city_counties = [c for c in counties if c.parent_id == city.pk]
        for ki, county in enumerate(city_counties, 1):
            county_gov = node(
                city_gov.path, ki, 3, kind=OrgKind.GOVERNMENT, name=f"{county.name}人民政府", region=county
            )
            governments.append(county_gov)
            for ai in range(1, per_county + 1):
                serial += 1
                agency = node(
                    county_gov.path,
                    ai,
                    4,
                    kind=OrgKind.AGENCY,
                    name=f"{county.name}第{ai}执法局",
                    region=county,
                    subject_kind=SubjectKind.ADMINISTRATIVE_ORGAN,
                    credit_code=make_credit_code(county.code, serial),
                )
                agency.numchild = 1
                agencies.append(agency)
                node(agency.path, 1, 5, kind=OrgKind.DEPARTMENT, name="执法大队", region=county)
            county_gov.numchild = per_county
        city_gov.numchild = len(city_counties)
    root.numchild = len(cities)
    Organization.objects.bulk_create(nodes, batch_size=2000)
    by_path = dict(Organization.objects.values_list("path", "pk"))
    for org in nodes:
        org.pk = org.id = by_path[org.path]
    return {"agencies": agencies, "governments": governments, "regions": [province, *cities, *counties]}


SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国红梅志强玉兰海燕春梅晓东文斌宏伟丹丹建华新华"
)


def id_number(region_code: str, birth: str, serial: int) -> str:
    from zhifa.core.rules import id_number_check_char

    body = f"{region_code}{birth}{serial % 1000:03d}"
    return body + id_number_check_char(body)


def build_officers(tree: dict, n_officers: int, rng: random.Random, today) -> list[str]:
    """``n_officers`` officers, each with one certificate; returns the certificate numbers."""
    from datetime import timedelta

    from zhifa.organizations.models import EnforcementField
    from zhifa.personnel.models import Certificate, EmploymentType, Gender, Officer

    field = EnforcementField.objects.get_or_create(code="SCJG", defaults={"name": "市场监管"})[0]
    agencies = tree["agencies"]
    governments_by_region = {g.region_id: g for g in tree["governments"]}
    officers, certificates, numbers = [], [], []
    for i in range(n_officers):
        agency = agencies[i % len(agencies)]
        officers.append(
            Officer(
                name=rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
                gender=Gender.MALE if i % 2 else Gender.FEMALE,
                organization_id=agency.pk,
                employment_type=EmploymentType.CIVIL_SERVANT,
                # unique: the region part carries i // 1000, the sequence part i % 1000
                id_number=id_number(f"{110000 + i // 1000:06d}", f"{1965 + i % 35}0101", i % 1000),
            )
        )
    Officer.objects.bulk_create(officers, batch_size=5000)
    ids = list(Officer.objects.order_by("id").values_list("id", flat=True))
    for i, officer_id in enumerate(ids):
        agency = agencies[i % len(agencies)]
        number = f"37{agency.region.code[2:6]}{i:08d}"
        numbers.append(number)
        certificates.append(
            Certificate(
                number=number,
                officer_id=officer_id,
                issuing_authority_id=governments_by_region[agency.region_id].pk,
                issued_on=today - timedelta(days=365 + i % 700),
                valid_until=today + timedelta(days=i % 900 - 100),
            )
        )
    Certificate.objects.bulk_create(certificates, batch_size=5000)
    through = Certificate.fields.through
    cert_ids = Certificate.objects.order_by("id").values_list("id", flat=True)
    through.objects.bulk_create(
        [through(certificate_id=c, enforcementfield_id=field.pk) for c in cert_ids], batch_size=5000
    )
    return numbers
