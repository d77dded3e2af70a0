"""Builders for tests and demo data: a small but realistic org tree with users in every role."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

from zhifa.core.rules import credit_code_check_char

_serial = itertools.count(1)


def make_credit_code(region_code: str, serial: int | None = None, prefix: str = "11") -> str:
    """A 统一社会信用代码 with a correct GB 32100 check character (11 = 机构编制·机关)."""
    serial = next(_serial) if serial is None else serial
    body = f"{prefix}{region_code}{serial:09d}"
    return body + credit_code_check_char(body)


@dataclass
class World:
    regions: dict = field(default_factory=dict)
    orgs: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)
    fields: dict = field(default_factory=dict)


DEFAULT_PASSWORD = "Zhifa-Demo-2026"


def build_world() -> World:
    """市政府 (示范市) with 司法局, 市场监管局 (+ 内设机构), and a 区 with its own 市场监管局."""
    from zhifa.accounts.roles import Role
    from zhifa.accounts.services import assign_roles
    from zhifa.organizations.models import EnforcementField, Organization, OrgKind, Region, SubjectKind

    w = World()
    province = Region.objects.create(code="370000", name="山东省")
    city = Region.objects.create(code="379900", name="示范市", parent=province)
    east = Region.objects.create(code="379902", name="东城区", parent=city)
    w.regions.update(province=province, city=city, east=east)
    w.fields["market"] = EnforcementField.objects.create(code="SCJG", name="市场监管", order=1)
    w.fields["env"] = EnforcementField.objects.create(code="STHJ", name="生态环境", order=2)

    add_root, add_child = Organization.objects.add_root, Organization.objects.add_child
    gov = add_root(instance=Organization(kind=OrgKind.GOVERNMENT, name="示范市人民政府", region=city))
    justice = add_child(
        gov,
        instance=Organization(
            kind=OrgKind.AGENCY,
            name="示范市司法局",
            short_name="示司",
            region=city,
            subject_kind=SubjectKind.ADMINISTRATIVE_ORGAN,
            credit_code=make_credit_code(city.code),
            is_legal_office=True,
        ),
    )
    market = add_child(
        gov,
        instance=Organization(
            kind=OrgKind.AGENCY,
            name="示范市市场监督管理局",
            short_name="示市监",
            region=city,
            subject_kind=SubjectKind.ADMINISTRATIVE_ORGAN,
            credit_code=make_credit_code(city.code),
        ),
    )
    market.fields.add(w.fields["market"])
    market_team = add_child(
        market, instance=Organization(kind=OrgKind.DEPARTMENT, name="执法稽查支队", region=city)
    )
    east_gov = add_child(
        gov, instance=Organization(kind=OrgKind.GOVERNMENT, name="东城区人民政府", region=east)
    )
    east_justice = add_child(
        east_gov,
        instance=Organization(
            kind=OrgKind.AGENCY,
            name="东城区司法局",
            region=east,
            subject_kind=SubjectKind.ADMINISTRATIVE_ORGAN,
            credit_code=make_credit_code(east.code),
            is_legal_office=True,
        ),
    )
    east_market = add_child(
        east_gov,
        instance=Organization(
            kind=OrgKind.AGENCY,
            name="东城区市场监督管理局",
            short_name="东市监",
            region=east,
            subject_kind=SubjectKind.ADMINISTRATIVE_ORGAN,
            credit_code=make_credit_code(east.code),
        ),
    )
    east_market.fields.add(w.fields["market"])
    w.orgs.update(
        gov=gov,
        justice=justice,
        market=market,
        market_team=market_team,
        east_gov=east_gov,
        east_justice=east_justice,
        east_market=east_market,
    )

    from zhifa.accounts.models import User

    def user(name, org, *roles, **extra):
        u = User.objects.create_user(
            name, password=DEFAULT_PASSWORD, organization=org, full_name=name, **extra
        )
        assign_roles(u, roles)
        w.users[name] = u
        return u

    user("admin", gov, Role.ADMIN)
    user("city_supervisor", justice, Role.SUPERVISOR)
    user("east_supervisor", east_justice, Role.SUPERVISOR)
    user("market_head", market, Role.AGENCY_HEAD)
    user("market_officer", market_team, Role.OFFICER)
    user("east_head", east_market, Role.AGENCY_HEAD)
    user("east_officer", east_market, Role.OFFICER)
    return w
