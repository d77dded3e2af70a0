"""Roles, and the Django permissions each one carries.

Roles are Django groups, so an administrator can see and adjust them; ``sync_roles`` (run after
every migrate) makes the groups carry exactly the permissions listed here.
"""

from django.db import models


class Role(models.TextChoices):
    OFFICER = "officer", "执法人员"
    DIVISION_HEAD = "division_head", "承办机构负责人"
    AGENCY_HEAD = "agency_head", "机关负责人"
    REVIEWER = "reviewer", "法制审核人员"
    SUPERVISOR = "supervisor", "监督人员"
    ADMIN = "admin", "管理员"


def _crud(app: str, *models_: str, actions=("view", "add", "change")) -> set[str]:
    return {f"{app}.{action}_{model}" for model in models_ for action in actions}


VIEW_REGISTRIES = (
    _crud("organizations", "organization", "entrustment", "region", "enforcementfield", actions=("view",))
    | _crud(
        "personnel",
        "officer",
        "certificate",
        "annualinspection",
        "traininghours",
        "examresult",
        actions=("view",),
    )
    | _crud("powers", "law", "lawversion", "article", "poweritem", "inspectionitem", actions=("view",))
    | _crud("workdays", "calendarday", actions=("view",))
    | _crud("records", "document", "documenttemplate", "numberpattern", actions=("view",))
    | _crud("cases", "casenumberpattern", actions=("view",))
)
CASE_HANDLING = _crud("cases", "case")
CASE_VIEW = _crud("cases", "case", "deadline", actions=("view",))
AGENCY_PERSONNEL = _crud("personnel", "officer", "traininghours", "examresult")
AGENCY_POWERS = _crud("powers", "poweritem", "inspectionitem")

ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.OFFICER: VIEW_REGISTRIES | CASE_VIEW | CASE_HANDLING,
    Role.REVIEWER: VIEW_REGISTRIES | CASE_VIEW,
    Role.DIVISION_HEAD: VIEW_REGISTRIES | CASE_VIEW | CASE_HANDLING | AGENCY_PERSONNEL,
    Role.AGENCY_HEAD: VIEW_REGISTRIES
    | CASE_VIEW
    | CASE_HANDLING
    | _crud("accounts", "user")
    | AGENCY_PERSONNEL
    | AGENCY_POWERS
    | _crud("organizations", "organization", "entrustment")
    | _crud("records", "numberpattern")
    | _crud("cases", "casenumberpattern"),
    # 司法局 / 政府法制机构: confirms subjects (S1), issues and manages certificates (S2, S13).
    Role.SUPERVISOR: VIEW_REGISTRIES
    | CASE_VIEW
    | _crud("accounts", "user")
    | AGENCY_PERSONNEL
    | AGENCY_POWERS
    | _crud("organizations", "organization", "entrustment")
    | _crud("personnel", "certificate", "annualinspection"),
    Role.ADMIN: VIEW_REGISTRIES
    | CASE_VIEW
    | _crud("cases", "proceduresetting")
    | _crud("accounts", "user")
    | AGENCY_PERSONNEL
    | AGENCY_POWERS
    | _crud("organizations", "organization", "entrustment", "region", "enforcementfield")
    | _crud("personnel", "certificate", "annualinspection", "personnelpolicy")
    | _crud("powers", "law", "lawversion", "article")
    | _crud("workdays", "calendarday")
    | _crud("records", "documenttemplate", "numberpattern")
    | _crud("cases", "casenumberpattern"),
}

# 双随机抽查 (zhifa.inspections): everyone who sees cases sees the tasks and the 名录; the heads who
# direct enforcement create tasks, draw and confirm; an officer may declare their own 回避.
INSPECTION_VIEW = _crud("inspections", "inspectiontask", "inspectiontarget", actions=("view",))
INSPECTION_MANAGE = _crud("inspections", "inspectiontask", "inspectiontarget") | {"inspections.add_recusal"}
for _role, _permissions in {
    Role.OFFICER: INSPECTION_VIEW | {"inspections.add_recusal"},
    Role.REVIEWER: INSPECTION_VIEW,
    Role.DIVISION_HEAD: INSPECTION_VIEW | INSPECTION_MANAGE,
    Role.AGENCY_HEAD: INSPECTION_VIEW | INSPECTION_MANAGE,
    Role.SUPERVISOR: INSPECTION_VIEW,
    Role.ADMIN: INSPECTION_VIEW,
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _permissions
