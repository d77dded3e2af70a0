"""Who may grant which role (no database)."""

from .roles import Role

# A role may only be granted by someone whose reach covers it: heads staff their own agency,
# supervisors (司法局) their region, administrators everything.
GRANTABLE_BY = {
    Role.ADMIN: set(Role),
    Role.SUPERVISOR: {Role.OFFICER, Role.DIVISION_HEAD, Role.AGENCY_HEAD, Role.REVIEWER, Role.SUPERVISOR},
    Role.AGENCY_HEAD: {Role.OFFICER, Role.DIVISION_HEAD, Role.REVIEWER},
}


def grantable_roles(actor_roles, is_superuser: bool = False) -> set[Role]:
    if is_superuser:
        return set(Role)
    granted: set[Role] = set()
    for role in actor_roles:
        granted |= GRANTABLE_BY.get(role, set())
    return granted
