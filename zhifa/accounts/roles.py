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
    | _crud(
        "powers",
        "law",
        "lawversion",
        "article",
        "poweritem",
        "inspectionitem",
        "discretionbenchmark",
        actions=("view",),
    )
    | _crud("workdays", "calendarday", actions=("view",))
    | _crud("records", "document", "documenttemplate", "numberpattern", actions=("view",))
    | _crud("cases", "casenumberpattern", actions=("view",))
)
CASE_HANDLING = _crud("cases", "case")
CASE_VIEW = _crud("cases", "case", "deadline", actions=("view",))
AGENCY_PERSONNEL = _crud("personnel", "officer", "traininghours", "examresult")
AGENCY_POWERS = _crud("powers", "poweritem", "inspectionitem", "discretionbenchmark")

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

# 裁量基准 (S8): the 机关负责人 publishes the agency's benchmarks (处罚法 Art. 34); administrators too.
for _role in (Role.AGENCY_HEAD, Role.ADMIN):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {"powers.publish_discretionbenchmark"}

# 证据与音像记录 (zhifa.records evidence): officers and heads upload; heads retire (with a reason);
# reviewers and supervisors read (R5: every view and download is logged).
EVIDENCE_VIEW = {"records.view_evidence"}
for _role, _permissions in {
    Role.OFFICER: EVIDENCE_VIEW | {"records.add_evidence"},
    Role.DIVISION_HEAD: EVIDENCE_VIEW | {"records.add_evidence", "records.change_evidence"},
    Role.AGENCY_HEAD: EVIDENCE_VIEW | {"records.add_evidence", "records.change_evidence"},
    Role.REVIEWER: EVIDENCE_VIEW,
    Role.SUPERVISOR: EVIDENCE_VIEW,
    Role.ADMIN: EVIDENCE_VIEW,
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _permissions

# 法制审核 (zhifa.review): every case viewer sees reviews and filings; reviewers record opinions;
# heads keep the agency's 目录清单; the 司法局 (supervisor) handles filings it receives.
REVIEW_VIEW = _crud("review", "reviewround", "filing", "catalogueentry", actions=("view",))
for _role, _permissions in {
    Role.OFFICER: REVIEW_VIEW,
    Role.REVIEWER: REVIEW_VIEW | {"review.change_reviewround"},
    Role.DIVISION_HEAD: REVIEW_VIEW,
    Role.AGENCY_HEAD: REVIEW_VIEW | _crud("review", "catalogueentry"),
    Role.SUPERVISOR: REVIEW_VIEW | {"review.change_filing"},
    Role.ADMIN: REVIEW_VIEW | _crud("review", "catalogueentry"),
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _permissions

# 存证日志 (zhifa.ledger, principle 3): every role reads the checkpoints and, within its scope, the
# leaves' data; administrators may sign a checkpoint at once.
LEDGER_VIEW = {"ledger.view_ledgerleaf", "ledger.view_ledgercheckpoint"}
for _role in Role:
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | LEDGER_VIEW
ROLE_PERMISSIONS[Role.ADMIN] = ROLE_PERMISSIONS[Role.ADMIN] | {"ledger.add_ledgercheckpoint"}

# 案卷、归档与调阅 (zhifa.records archive, R4–R5): everyone who sees cases sees 案卷 and may ask to
# read an archived one; the agency head (and the administrator) keeps the archive.
ARCHIVE_VIEW = _crud("records", "dossier", "casearchive", "archiveaccess", actions=("view",)) | {
    "records.add_archiveaccess",
    "records.add_caseannotation",
}
for _role in (Role.OFFICER, Role.REVIEWER, Role.DIVISION_HEAD, Role.AGENCY_HEAD, Role.SUPERVISOR, Role.ADMIN):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | ARCHIVE_VIEW
for _role in (Role.AGENCY_HEAD, Role.ADMIN):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | {"records.keep_archive", "records.add_dossier"}

# 年度行政执法数据 (zhifa.publicity annual reports, G6): heads, supervisors and administrators read
# the reports of their scope; the 机关负责人 (and the administrator) compute them, and the 机关负责人
# publishes (checked by role in publicity.annual_services).
ANNUAL_REPORT_VIEW = {"publicity.view_annualreport"}
for _role, _permissions in {
    Role.DIVISION_HEAD: ANNUAL_REPORT_VIEW,
    Role.AGENCY_HEAD: ANNUAL_REPORT_VIEW | {"publicity.change_annualreport"},
    Role.SUPERVISOR: ANNUAL_REPORT_VIEW,
    Role.ADMIN: ANNUAL_REPORT_VIEW | {"publicity.change_annualreport"},
}.items():
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | _permissions

# 执法结果公示 (zhifa.publicity pipeline, G3–G5): everyone who handles or supervises cases sees the
# publications of their scope; the 机关负责人 approves, corrects and withdraws them (谁执法谁公示,
# checked by role in publicity.services).
PUBLICATION_VIEW = _crud("publicity", "publication", "publicationversion", actions=("view",))
for _role in (Role.OFFICER, Role.DIVISION_HEAD, Role.AGENCY_HEAD, Role.SUPERVISOR, Role.ADMIN):
    ROLE_PERMISSIONS[_role] = ROLE_PERMISSIONS[_role] | PUBLICATION_VIEW
ROLE_PERMISSIONS[Role.AGENCY_HEAD] = ROLE_PERMISSIONS[Role.AGENCY_HEAD] | _crud(
    "publicity", "publication", "publicationversion", actions=("change",)
)
