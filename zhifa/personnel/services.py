"""The only code that changes officers, certificates, 年审, training and exam records.

``may_enforce`` is the guard later procedures call (P1, S2, S13): it loads an officer's facts in a
constant number of queries and asks :func:`rules.enforcement_eligibility`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import DecimalField, Exists, OuterRef, Prefetch, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from zhifa.core.scope import scope_for
from zhifa.organizations.models import EnforcementField, Organization, OrgKind, Region

from . import rules
from .models import (
    AnnualInspection,
    Certificate,
    CertificateStatus,
    ExamResult,
    InspectionResult,
    Officer,
    OfficerStatus,
    PersonnelPolicy,
    RevocationCause,
    TrainingHours,
)


# --- Permissions and scope -------------------------------------------------------------------
def _require(user, permission: str, action: str) -> None:
    if not user.has_perm(permission):
        raise PermissionDenied(f"您的角色无权{action}。")


def ensure_in_scope(user, organization: Organization | None) -> None:
    if organization is None or not scope_for(user).contains_path(organization.path):
        raise PermissionDenied("该机构不在您的管理范围内。")


# --- Regions and policy ----------------------------------------------------------------------
def region_parents(codes) -> dict[str, str | None]:
    """code -> parent code for the given regions and their ancestors (one query; 3 levels at most)."""
    parents: dict[str, str | None] = {}
    for region in Region.objects.filter(code__in=set(codes)).select_related("parent__parent"):
        node = region
        while node is not None and node.code not in parents:
            parents[node.code] = node.parent.code if node.parent_id else None
            node = node.parent
    return parents


def policy_for(region: Region | None) -> PersonnelPolicy:
    """The most specific policy along the region's parent chain, else the national default."""
    chain = rules.region_chain(region.code, region_parents([region.code])) if region else []
    policies = {
        (p.region.code if p.region_id else None): p
        for p in PersonnelPolicy.objects.filter(Q(region__code__in=chain) | Q(region__isnull=True))
        .select_related("region")
        .order_by("id")
    }
    for code in [*chain, None]:
        if code in policies:
            return policies[code]
    return PersonnelPolicy()


@transaction.atomic
def save_policy(user, policy: PersonnelPolicy) -> PersonnelPolicy:
    _require(user, "personnel.change_personnelpolicy", "修改执法人员管理参数")
    policy.full_clean()
    policy.save()
    return policy


# --- Eligibility -----------------------------------------------------------------------------
def _certificate_fact(certificate: Certificate) -> rules.CertificateFact:
    return rules.CertificateFact(
        number=certificate.number,
        status=certificate.status,
        issued_on=certificate.issued_on,
        valid_until=certificate.valid_until,
        field_codes=frozenset(f.code for f in certificate.fields.all()),
        region_codes=frozenset(r.code for r in certificate.regions.all()),
        inspections=tuple(
            rules.InspectionFact(year=i.year, passed=i.result == InspectionResult.PASSED)
            for i in certificate.inspections.all()
        ),
        status_reason=certificate.status_reason,
    )


def certificates_with_details(officer: Officer):
    return (
        officer.certificates.select_related("issuing_authority")
        .prefetch_related("fields", "regions", "inspections")
        .order_by("-valid_until", "id")
    )


def officer_facts(
    officer: Officer,
    region_codes=(),
    certificates: list[Certificate] | None = None,
    *,
    training: dict | None = None,
    policy: rules.Policy | None = None,
    parents: dict | None = None,
) -> rules.OfficerFacts:
    """Everything the eligibility rule needs, in a constant number of queries (none for the parts
    a caller already loaded, see :func:`may_enforce_many`)."""
    if certificates is None:
        certificates = list(certificates_with_details(officer))
    if training is None:
        training = dict(
            officer.trainings.order_by()
            .values_list("year")
            .annotate(total=Sum("hours"))
            .values_list("year", "total")
        )
    if policy is None:
        unit_region = officer.organization.region if officer.organization_id else None
        policy = policy_for(unit_region).as_rule_policy()
    return rules.OfficerFacts(
        name=officer.name,
        active=officer.status == OfficerStatus.ACTIVE,
        employment_type=officer.employment_type,
        certificates=tuple(_certificate_fact(c) for c in certificates),
        training_hours=training,
        policy=policy,
        region_parents=region_parents(region_codes) if parents is None else parents,
    )


def _resolve(model, value, label: str):
    if isinstance(value, model):
        return value
    found = model.objects.filter(code=str(value).strip()).first()
    if found is None:
        raise ValidationError(f"{label}代码“{value}”不存在。")
    return found


def may_enforce(officer: Officer, field, region, on: date | None = None) -> rules.Eligibility:
    """May ``officer`` enforce in ``field`` (EnforcementField or code) and ``region`` (Region or
    code) on ``on`` (today by default)? The answer carries the refusal reasons (P1, S2, S13)."""
    on = on or timezone.localdate()
    field = _resolve(EnforcementField, field, "执法类别")
    region = _resolve(Region, region, "行政区划")
    facts = officer_facts(officer, [region.code])
    labels = {field.code: field.name, region.code: region.name}
    return rules.enforcement_eligibility(facts, field.code, region.code, on, labels)


def may_enforce_many(officers, field, region, on: date | None = None) -> dict[int, rules.Eligibility]:
    """:func:`may_enforce` for several officers (a case's assigned officers) in a constant number
    of queries rather than about ten per officer; officer id → answer."""
    on = on or timezone.localdate()
    field = _resolve(EnforcementField, field, "执法类别")
    region = _resolve(Region, region, "行政区划")
    officers = list(officers)
    certificates: dict[int, list[Certificate]] = {o.pk: [] for o in officers}
    for certificate in (
        Certificate.objects.filter(officer__in=officers)
        .select_related("issuing_authority")
        .prefetch_related("fields", "regions", "inspections")
        .order_by("-valid_until", "id")
    ):
        certificates[certificate.officer_id].append(certificate)
    training: dict[int, dict] = {o.pk: {} for o in officers}
    for officer_id, year, total in (
        TrainingHours.objects.filter(officer__in=officers)
        .order_by()
        .values_list("officer_id", "year")
        .annotate(total=Sum("hours"))
        .values_list("officer_id", "year", "total")
    ):
        training[officer_id][year] = total
    units = {o.organization_id: o.organization for o in officers if o.organization_id}
    policies = {
        unit_id: policy_for(unit.region).as_rule_policy() for unit_id, unit in units.items()
    }  # one per unit; a case's officers usually share theirs
    parents = region_parents([region.code])
    labels = {field.code: field.name, region.code: region.name}
    answers = {}
    for officer in officers:
        facts = officer_facts(
            officer,
            certificates=certificates[officer.pk],
            training=training[officer.pk],
            policy=policies[officer.organization_id] if officer.organization_id else None,
            parents=parents,
        )
        answers[officer.pk] = rules.enforcement_eligibility(facts, field.code, region.code, on, labels)
    return answers


@dataclass
class EligibilityRow:
    certificate: Certificate
    field: EnforcementField
    region: Region
    answer: rules.Eligibility


def eligibility_overview(officer: Officer, certificates: list[Certificate], on: date | None = None) -> list:
    """The eligibility answer for every field × region of the officer's usable certificates."""
    on = on or timezone.localdate()
    current = [c for c in certificates if c.status != CertificateStatus.REVOKED]
    codes = {r.code for c in current for r in c.regions.all()}
    facts = officer_facts(officer, codes, certificates)
    rows = []
    for certificate in current:
        for f in certificate.fields.all():
            for r in certificate.regions.all():
                labels = {f.code: f.name, r.code: r.name}
                answer = rules.enforcement_eligibility(facts, f.code, r.code, on, labels)
                rows.append(EligibilityRow(certificate, f, r, answer))
    return rows


def certificate_warnings(officer: Officer, certificates: list[Certificate], on: date | None = None) -> list:
    """S12 warnings (expiry and 年审 falling due) for the officer's certificates."""
    on = on or timezone.localdate()
    policy = policy_for(officer.organization.region).as_rule_policy()
    warnings = []
    for certificate in certificates:
        fact = _certificate_fact(certificate)
        for check in (rules.expiry_warning, rules.inspection_warning):
            if warning := check(fact, on, policy):
                warnings.append(warning)
    return warnings


# --- Officers --------------------------------------------------------------------------------
def _check_unit(user, officer: Officer) -> None:
    if officer.organization_id is None:
        raise ValidationError({"organization": "请选择所在单位。"})
    ensure_in_scope(user, officer.organization)


@transaction.atomic
def create_officer(user, officer: Officer) -> Officer:
    _require(user, "personnel.add_officer", "登记执法人员")
    _check_unit(user, officer)
    officer.full_clean()
    officer.save()
    return officer


@transaction.atomic
def update_officer(user, officer: Officer, data: dict | None = None) -> Officer:
    _require(user, "personnel.change_officer", "修改执法人员信息")
    ensure_in_scope(user, Officer.objects.select_related("organization").get(pk=officer.pk).organization)
    for name, value in (data or {}).items():
        setattr(officer, name, value)
    _check_unit(user, officer)
    officer.full_clean()
    officer.save()
    return officer


# --- Certificates ----------------------------------------------------------------------------
def number_error(number: str, authority: Organization | None) -> str | None:
    """The certificate number against the policy of the issuing authority's region."""
    if authority is None:
        return rules.certificate_number_error(number)
    policy = policy_for(authority.region)
    return rules.certificate_number_error(
        number,
        pattern=policy.number_pattern,
        description=policy.number_description,
        example=policy.number_example,
        province_code=authority.region.code if policy.number_requires_province_prefix else None,
    )


def _authority_error(authority: Organization, unit: Organization) -> str | None:
    if authority.kind != OrgKind.GOVERNMENT and not authority.is_legal_office:
        return "发证机关应为人民政府或其司法行政部门（政府法制机构）（司办通〔2020〕78号）。"
    government = authority if authority.kind == OrgKind.GOVERNMENT else authority.nearest(OrgKind.GOVERNMENT)
    if government is None or not unit.path.startswith(government.path):
        return "发证机关只能为本级或下级行政区域内单位的人员发证：该人员所在单位不在发证机关的管辖范围内。"
    return None


def _regions_error(regions, authority: Organization) -> str | None:
    parents = region_parents([r.code for r in regions])
    outside = [r.name for r in regions if authority.region.code not in rules.region_chain(r.code, parents)]
    if outside:
        return f"执法区域“{'、'.join(outside)}”不在发证机关（{authority.region.name}）的行政区域内。"
    return None


def misuse_ban_until(officer: Officer, on: date) -> date | None:
    if officer.pk is None:
        return None
    revoked = officer.certificates.filter(
        status=CertificateStatus.REVOKED, revocation_cause=RevocationCause.MISUSE
    ).values_list("status_changed_on", flat=True)
    return rules.reapplication_ban_until([d for d in revoked if d], on)


def certificate_problems(certificate: Certificate, fields, regions, on: date) -> dict[str, str]:
    """Every reason not to issue this certificate, keyed by form field (S13, S2, P1)."""
    errors: dict[str, str] = {}
    officer = certificate.officer
    if reason := rules.employment_error(officer.employment_type):
        errors["officer"] = reason.message
    elif officer.status != OfficerStatus.ACTIVE:
        errors["officer"] = "该人员已离岗，不能发放执法证件。"
    elif until := misuse_ban_until(officer, on):
        errors["officer"] = (
            f"该人员的执法证件因出借、转借或涂改被注销，{until:%Y年%m月%d日}前不得重新申领（{rules.S13_BASIS}）。"
        )
    certificate.number = rules.normalize_certificate_number(certificate.number)
    authority = certificate.issuing_authority if certificate.issuing_authority_id else None
    if message := number_error(certificate.number, authority):
        errors["number"] = message
    if authority is None:
        errors["issuing_authority"] = "请选择发证机关。"
    elif message := _authority_error(authority, officer.organization):
        errors["issuing_authority"] = message
    if not fields:
        errors["fields"] = "请至少选择一个执法类别。"
    if not regions:
        errors["regions"] = "请至少选择一个执法区域。"
    elif authority is not None and (message := _regions_error(regions, authority)):
        errors["regions"] = message
    if message := rules.date_range_error(certificate.issued_on, certificate.valid_until):
        errors["valid_until"] = message
    return errors


@transaction.atomic
def issue_certificate(user, certificate: Certificate, fields, regions, on: date | None = None) -> Certificate:
    """司法局/政府 issues a certificate (S2, S13): only to eligible staff, with a unique number."""
    _require(user, "personnel.add_certificate", "发放执法证件（由司法行政部门办理）")
    ensure_in_scope(user, certificate.officer.organization)
    if certificate.issuing_authority_id:
        ensure_in_scope(user, certificate.issuing_authority)
    on = on or timezone.localdate()
    errors = certificate_problems(certificate, fields, regions, on)
    try:
        certificate.full_clean(exclude=list(errors))
    except ValidationError as exc:
        errors = {**{k: " ".join(v) for k, v in exc.message_dict.items()}, **errors}
    if errors:
        raise ValidationError(errors)
    certificate.status = CertificateStatus.VALID
    try:
        with transaction.atomic():
            certificate.save()
    except IntegrityError as exc:  # a concurrent issue of the same number
        raise ValidationError({"number": "该执法证件编号已被使用，证件编号不能重复。"}) from exc
    certificate.fields.set(fields)
    certificate.regions.set(regions)
    return certificate


def _for_change(user, certificate: Certificate, action: str) -> Certificate:
    _require(user, "personnel.change_certificate", action)
    locked = (
        Certificate.objects.select_related("officer__organization").select_for_update().get(pk=certificate.pk)
    )
    ensure_in_scope(user, locked.officer.organization)
    return locked


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "请填写原因。"})
    return reason


@transaction.atomic
def suspend_certificate(user, certificate: Certificate, reason: str, on: date | None = None) -> Certificate:
    """S13: e.g. using an uninspected certificate or not showing it → 暂扣."""
    certificate = _for_change(user, certificate, "暂扣执法证件")
    reason = _reason(reason)
    if certificate.status != CertificateStatus.VALID:
        raise ValidationError(f"只有有效的证件可以暂扣，该证件当前为“{certificate.get_status_display()}”。")
    certificate.status = CertificateStatus.SUSPENDED
    certificate.status_reason = reason
    certificate.status_changed_on = on or timezone.localdate()
    certificate.save(update_fields=["status", "status_reason", "status_changed_on"])
    return certificate


@transaction.atomic
def reinstate_certificate(user, certificate: Certificate, reason: str = "") -> Certificate:
    certificate = _for_change(user, certificate, "恢复执法证件")
    if certificate.status != CertificateStatus.SUSPENDED:
        raise ValidationError(f"只有被暂扣的证件可以恢复，该证件当前为“{certificate.get_status_display()}”。")
    certificate.status = CertificateStatus.VALID
    certificate.status_reason = ""
    certificate.status_changed_on = timezone.localdate()
    certificate.save(update_fields=["status", "status_reason", "status_changed_on"])
    return certificate


@transaction.atomic
def revoke_certificate(
    user, certificate: Certificate, reason: str, cause: str = RevocationCause.OTHER, on: date | None = None
) -> Certificate:
    """S13: lending or altering → 注销, and no new application for two years."""
    certificate = _for_change(user, certificate, "注销执法证件")
    reason = _reason(reason)
    if cause not in RevocationCause.values:
        raise ValidationError({"cause": "请选择注销类型。"})
    if certificate.status == CertificateStatus.REVOKED:
        raise ValidationError("该证件已经注销。")
    certificate.status = CertificateStatus.REVOKED
    certificate.status_reason = reason
    certificate.revocation_cause = cause
    certificate.status_changed_on = on or timezone.localdate()
    certificate.save(update_fields=["status", "status_reason", "revocation_cause", "status_changed_on"])
    return certificate


# --- 年审, training, exams -------------------------------------------------------------------
def _save_record(record, exclude=()):
    record.full_clean(exclude=list(exclude))
    try:
        with transaction.atomic():
            record.save()
    except IntegrityError as exc:
        raise ValidationError("该记录与已有记录重复。") from exc
    return record


@transaction.atomic
def record_inspection(user, inspection: AnnualInspection) -> AnnualInspection:
    """S2: the yearly 年审, recorded by the 司法局."""
    _require(user, "personnel.add_annualinspection", "登记年审")
    ensure_in_scope(user, inspection.certificate.officer.organization)
    if inspection.certificate.status == CertificateStatus.REVOKED:
        raise ValidationError("已注销的证件不能年审。")
    inspection.inspector = user if user.pk else None
    return _save_record(inspection)


@transaction.atomic
def record_training(user, training: TrainingHours) -> TrainingHours:
    _require(user, "personnel.add_traininghours", "登记培训学时")
    ensure_in_scope(user, training.officer.organization)
    return _save_record(training)


@transaction.atomic
def record_exam(user, exam: ExamResult) -> ExamResult:
    _require(user, "personnel.add_examresult", "登记考试成绩")
    ensure_in_scope(user, exam.officer.organization)
    return _save_record(exam)


# --- Dashboard -------------------------------------------------------------------------------
def _scope_policy(user) -> PersonnelPolicy:
    organization = user.organization
    return policy_for(organization.region if organization else None)


def _own_items(user, today: date) -> list[dict]:
    officer = Officer.objects.filter(user=user).select_related("organization").first()
    if officer is None:
        return []
    certificates = list(certificates_with_details(officer))
    url = officer.get_absolute_url()
    items = [
        {"text": w.message, "url": url, "level": "warn"} for w in certificate_warnings(officer, certificates)
    ]
    for row in eligibility_overview(officer, certificates, today):
        if row.answer.allowed:
            text, level = f"本人可在{row.region.name}从事{row.field.name}执法", "ok"
        else:
            text, level = (
                f"本人不能在{row.region.name}从事{row.field.name}执法：{row.answer.messages[0]}",
                "bad",
            )
        items.append({"text": text, "url": url, "level": level})
    if not certificates:
        items.append({"text": "本人未持有行政执法证件。", "url": url, "level": "bad"})
    return items


def dashboard_panel(user) -> dict | None:
    """S12 warnings within the user's scope: expiring certificates, 年审 due, training short."""
    if not user.has_perm("personnel.view_certificate"):
        return None
    today = timezone.localdate()
    policy = _scope_policy(user)
    items = _own_items(user, today)
    certificates = Certificate.objects.for_user(user).select_related("officer").order_by("valid_until", "id")
    for c in certificates.in_state("valid", today).filter(
        valid_until__lte=today + timedelta(days=policy.warning_days)
    )[:10]:
        items.append(
            {
                "text": f"{c.officer.name}的执法证件{c.number}将于{c.valid_until:%Y-%m-%d}到期（S12）",
                "url": c.get_absolute_url(),
                "level": "warn",
            }
        )
    year = today.year - 1
    deadline = rules.inspection_deadline(today.year, policy.inspection_grace_days)
    if today >= deadline - timedelta(days=policy.warning_days):
        done = AnnualInspection.objects.filter(certificate=OuterRef("pk"), year=year)
        for c in (
            certificates.in_state("valid", today).filter(issued_on__year__lte=year).exclude(Exists(done))[:10]
        ):
            late = today > deadline
            items.append(
                {
                    "text": f"{c.officer.name}的执法证件{c.number}{'逾期' if late else '尚'}未办理{year}年度年审"
                    f"（期限{deadline:%Y-%m-%d}，S2/S12）",
                    "url": c.get_absolute_url(),
                    "level": "bad" if late else "warn",
                }
            )
    for officer in officers_short_of_training(user, today, policy)[:10]:
        items.append(
            {
                "text": f"{officer.name}{year}年度培训{rules.format_hours(officer.previous_hours)}学时，"
                f"不足{rules.format_hours(policy.min_training_hours)}学时（S2）",
                "url": officer.get_absolute_url(),
                "level": "bad",
            }
        )
    return {"title": "执法人员与证件预警", "items": items, "empty": "没有需要处理的证件预警。"}


def officers_short_of_training(user, today: date, policy: PersonnelPolicy):
    """Certificate holders (first certified before this year) below the minimum hours last year.

    Correlated subqueries rather than GROUP BY, so the list streams in name order and stops at
    the first rows found instead of aggregating every officer in scope.
    """
    year = today.year - 1
    hours = (
        TrainingHours.objects.filter(officer=OuterRef("pk"), year=year)
        .order_by()
        .values("officer")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    first_issued = (
        Certificate.objects.filter(officer=OuterRef("pk")).order_by("issued_on").values("issued_on")[:1]
    )
    usable = Certificate.objects.filter(officer=OuterRef("pk")).in_state("valid", today)
    return (
        Officer.objects.for_user(user)
        .active()
        .exclude(employment_type__in=rules.CERTIFICATE_INELIGIBLE_EMPLOYMENT)
        .filter(Exists(usable))
        .annotate(
            first_issued=Subquery(first_issued),
            previous_hours=Coalesce(
                Subquery(hours), Value(0), output_field=DecimalField(max_digits=7, decimal_places=1)
            ),
        )
        .filter(first_issued__lt=date(today.year, 1, 1), previous_hours__lt=policy.min_training_hours)
        .order_by("name", "id")
    )


# --- Public (portal) -------------------------------------------------------------------------
@dataclass(frozen=True)
class PublicCertificate:
    """Only what 118号/G1 lets the public see: never 身份证号 or phone."""

    number: str
    holder: str
    gender: str
    unit: str
    fields: list[str]
    regions: list[str]
    issuing_authority: str
    issued_on: date
    valid_until: date
    state: str
    state_label: str
    status_reason: str
    photo_url: str | None

    @property
    def is_valid(self) -> bool:
        return self.state == "valid"


@dataclass(frozen=True)
class PublicOfficer:
    id: int
    name: str
    gender: str
    unit: str
    photo_url: str | None
    certificates: list[PublicCertificate] = field(default_factory=list)


PUBLIC_OFFICER_FIELDS = ("id", "name", "gender", "organization", "photo", "status", "employment_type")


def public_certificate_queryset():
    return (
        Certificate.objects.exclude(status=CertificateStatus.REVOKED)
        .select_related("issuing_authority")
        .prefetch_related("fields", "regions")
        .order_by("-valid_until", "id")
    )


def public_officers():
    """Officers the portal lists (G1): 在岗, holding a certificate that is not 注销."""
    listed = Certificate.objects.filter(officer=OuterRef("pk")).exclude(status=CertificateStatus.REVOKED)
    return (
        Officer.objects.active()
        .filter(Exists(listed))
        .only(
            *PUBLIC_OFFICER_FIELDS,
            "organization__id",
            "organization__name",
            "organization__kind",
            "organization__path",
            "organization__depth",
        )
        .select_related("organization")
        .prefetch_related(
            Prefetch("certificates", queryset=public_certificate_queryset(), to_attr="public_certs")
        )
        .order_by("name", "id")
    )


def search_public_officers(q: str = "", unit: str = ""):
    """Name prefix (indexed) or an exact certificate number, and optionally the agency name."""
    queryset = public_officers().search(q)
    unit = (unit or "").strip()
    if unit:
        queryset = queryset.filter(organization_id__in=unit_ids_matching(unit))
    return queryset


def unit_ids_matching(text: str, organizations=None, limit: int = 50) -> list[int]:
    """Ids of the units (within ``organizations``) under the agencies whose name contains ``text``,
    or of the 内设机构 so named: the agency search of the portal and of staff lists."""
    organizations = Organization.objects.all() if organizations is None else organizations
    named = organizations.filter(
        Q(kind=OrgKind.AGENCY) | Q(kind=OrgKind.DEPARTMENT), name__contains=text
    ).values_list("path", flat=True)[:limit]
    paths = list(named)
    if not paths:
        return []
    subtree = Q()
    for path in paths:
        subtree |= Q(path__startswith=path)
    return list(organizations.filter(subtree).values_list("id", flat=True))


def unit_labels(units) -> dict[int, str]:
    """ "执法主体 内设机构" for each unit, with one query for all the agencies above them."""
    units = {u.pk: u for u in units}
    wanted = {u.path[:end] for u in units.values() for end in range(u.steplen, len(u.path), u.steplen)}
    agencies = dict(
        Organization.objects.filter(path__in=wanted, kind=OrgKind.AGENCY).values_list("path", "name")
    )
    labels = {}
    for pk, unit in units.items():
        if unit.kind == OrgKind.AGENCY:
            labels[pk] = unit.name
            continue
        above = [agencies[p] for p in sorted(agencies, key=len, reverse=True) if unit.path.startswith(p)]
        labels[pk] = f"{above[0]} {unit.name}" if above else unit.name
    return labels


def _photo_url(officer: Officer) -> str | None:
    return reverse("portal:officer_photo", args=[officer.pk]) if officer.photo else None


def _public_certificate(c: Certificate, officer: Officer, unit: str, on: date) -> PublicCertificate:
    state = c.state_on(on)
    if state == "valid" and officer.status != OfficerStatus.ACTIVE:
        state = "holder_left"
    return PublicCertificate(
        number=c.number,
        holder=officer.name,
        gender=officer.get_gender_display(),
        unit=unit,
        fields=[f.name for f in c.fields.all()],
        regions=[r.name for r in c.regions.all()],
        issuing_authority=c.issuing_authority.name,
        issued_on=c.issued_on,
        valid_until=c.valid_until,
        state=state,
        state_label=rules.STATE_LABELS[state],
        status_reason=c.status_reason if state in {"suspended", "revoked"} else "",
        photo_url=_photo_url(officer),
    )


def public_rows(officers) -> list[PublicOfficer]:
    """Turn a page of :func:`public_officers` into public-only rows (one extra query)."""
    officers = list(officers)
    on = timezone.localdate()
    labels = unit_labels(o.organization for o in officers)
    rows = []
    for o in officers:
        unit = labels[o.organization_id]
        rows.append(
            PublicOfficer(
                id=o.pk,
                name=o.name,
                gender=o.get_gender_display(),
                unit=unit,
                photo_url=_photo_url(o),
                certificates=[_public_certificate(c, o, unit, on) for c in o.public_certs],
            )
        )
    return rows


def verify_certificate(number: str) -> PublicCertificate | None:
    """Certificate verification for anyone (S13 QR code, P1 “出示执法证件”): public fields only."""
    number = rules.normalize_certificate_number(number)
    if not number:
        return None
    certificate = (
        Certificate.objects.select_related("issuing_authority", "officer__organization")
        .prefetch_related("fields", "regions")
        .filter(number=number)
        .first()
    )
    if certificate is None:
        return None
    officer = certificate.officer
    unit = unit_labels([officer.organization])[officer.organization_id]
    return _public_certificate(certificate, officer, unit, timezone.localdate())


def public_photo_officer(pk: int) -> Officer | None:
    """The officer whose photo the portal may serve: only one the portal lists."""
    return public_officers().filter(pk=pk).exclude(photo="").first()


# --- Bulk import -----------------------------------------------------------------------------
class _RowFailed(Exception):
    def __init__(self, error):
        self.error = error


def import_officers(user, upload, only_valid: bool = False):
    """Import an xlsx of officers (and certificates) in one transaction.

    A file with any error imports nothing, unless ``only_valid`` (“仅导入无误的行”) is chosen,
    in which case the rows without errors are imported and the others reported.
    """
    from .importing import RowError, check_file

    _require(user, "personnel.add_officer", "导入执法人员")
    report = check_file(user, upload)
    if report.file_error or (report.errors and not only_valid) or not report.rows:
        return report
    try:
        with transaction.atomic():
            for row in report.rows:
                try:
                    create_officer(user, row.officer)
                    if row.certificate is not None:
                        row.certificate.officer = row.officer
                        issue_certificate(user, row.certificate, row.fields, row.regions)
                except (ValidationError, PermissionDenied) as exc:
                    messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
                    raise _RowFailed(RowError(row.row, "", "；".join(messages))) from exc
    except _RowFailed as failed:
        report.errors.append(failed.error)
        report.imported = 0
        return report
    report.imported = len(report.rows)
    return report
