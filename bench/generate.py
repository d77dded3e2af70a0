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
        [Region(code=f"{city.code[:4]}{k:02d}", name=f"{city.name}第{k}区", parent=city) for city in cities for k in range(1, 11)]
    )

    nodes: list[Organization] = []

    def node(parent_path, index, depth, **fields):
        org = Organization(path=Organization._get_path(parent_path, depth, index), depth=depth, numchild=0, **fields)
        nodes.append(org)
        return org

    root = node("", 1, 1, kind=OrgKind.GOVERNMENT, name="测试省人民政府", region=province)
    governments, agencies = [root], []
    per_county = max(1, n_agencies // len(counties))
    serial = 0
    for ci, city in enumerate(cities, 1):
        city_gov = node(root.path, ci, 2, kind=OrgKind.GOVERNMENT, name=f"{city.name}人民政府", region=city)
        governments.append(city_gov)
        city_counties = [c for c in counties if c.parent_id == city.pk]
        for ki, county in enumerate(city_counties, 1):
            county_gov = node(city_gov.path, ki, 3, kind=OrgKind.GOVERNMENT, name=f"{county.name}人民政府", region=county)
            governments.append(county_gov)
            for ai in range(1, per_county + 1):
                serial += 1
                agency = node(
                    county_gov.path, ai, 4, kind=OrgKind.AGENCY, name=f"{county.name}第{ai}执法局",
                    region=county, subject_kind=SubjectKind.ADMINISTRATIVE_ORGAN,
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
