"""The only code that changes organizations and 委托协议."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhifa.core.scope import scope_for

from . import rules
from .models import Entrustment, Organization, OrgKind


def ensure_in_scope(user, organization: Organization | None) -> None:
    if organization is None or not scope_for(user).contains_path(organization.path):
        raise PermissionDenied("该机构不在您的管理范围内。")


@transaction.atomic
def create_organization(
    user, organization: Organization, parent: Organization | None, fields=()
) -> Organization:
    """Place a new node under ``parent`` (or as a root, for administrators only)."""
    if parent is None:
        if not scope_for(user).everything:
            raise PermissionDenied("只有系统管理员可以创建顶层机构。")
    else:
        ensure_in_scope(user, parent)
    if error := rules.placement_error(organization.kind, parent.kind if parent else None):
        raise ValidationError({"parent": error})
    organization.full_clean(exclude=["path", "depth", "numchild"])
    if parent is None:
        node = Organization.objects.add_root(instance=organization)
    else:
        node = Organization.objects.add_child(parent, instance=organization)
    if fields:
        node.fields.set(fields)
    return node


@transaction.atomic
def update_organization(user, organization: Organization, data: dict) -> Organization:
    ensure_in_scope(user, organization)
    fields = data.pop("fields", None)
    for name, value in data.items():
        setattr(organization, name, value)
    organization.full_clean(exclude=["path", "depth", "numchild"])
    organization.save()
    if fields is not None:
        organization.fields.set(fields)
    return organization


@transaction.atomic
def save_entrustment(user, entrustment: Entrustment) -> Entrustment:
    ensure_in_scope(user, entrustment.entrusted)
    entrustment.full_clean()
    entrustment.save()
    return entrustment


@transaction.atomic
def revoke_entrustment(user, entrustment: Entrustment, reason: str) -> Entrustment:
    ensure_in_scope(user, entrustment.entrusted)
    if not reason.strip():
        raise ValidationError({"revoke_reason": "请填写终止委托的原因。"})
    entrustment.revoked_at = timezone.localdate()
    entrustment.revoke_reason = reason.strip()
    entrustment.save(update_fields=["revoked_at", "revoke_reason"])
    return entrustment


def dashboard_panel(user) -> dict | None:
    if not user.has_perm("organizations.view_entrustment"):
        return None
    today = timezone.localdate()
    soon = (
        Entrustment.objects.for_user(user)
        .current(today)
        .filter(end_date__lte=today + timedelta(days=60))
        .select_related("entrusted", "entrusting")
        .order_by("end_date")[:20]
    )
    return {
        "title": "即将到期的委托协议",
        "items": [
            {
                "text": f"{e.entrusted} 受 {e.entrusting} 委托，{e.end_date:%Y-%m-%d} 到期",
                "url": reverse("organizations:organization_detail", args=[e.entrusted_id]),
                "level": "warn",
            }
            for e in soon
        ],
        "empty": "60日内没有到期的委托协议。",
    }


def public_agencies():
    """执法主体 as the portal may show them (G1, S1)."""
    return (
        Organization.objects.filter(kind=OrgKind.AGENCY, is_active=True)
        .select_related("region")
        .prefetch_related("fields")
    )
