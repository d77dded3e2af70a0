from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction

from zhifa.core.scope import scope_for

from .models import User
from .roles import ROLE_PERMISSIONS, Role
from .rules import grantable_roles


@transaction.atomic
def sync_roles() -> None:
    """Make one group per role carry exactly the permissions :data:`ROLE_PERMISSIONS` lists."""
    wanted = set().union(*ROLE_PERMISSIONS.values())
    by_name = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
        if f"{p.content_type.app_label}.{p.codename}" in wanted
    }
    for role in Role:
        group, _ = Group.objects.get_or_create(name=role.label)
        group.permissions.set([by_name[name] for name in ROLE_PERMISSIONS[role] if name in by_name])


def assign_roles(user, roles) -> None:
    groups = [Group.objects.get_or_create(name=Role(role).label)[0] for role in roles]
    user.groups.set(groups)
    user.__dict__.pop("_role_names", None)
    user.__dict__.pop("_zhifa_scope", None)


@transaction.atomic
def save_user(actor, user, roles, password: str | None = None):
    """Create or update a staff account inside the actor's scope, granting only grantable roles."""
    if not scope_for(actor).contains_path(user.organization.path if user.organization_id else None):
        raise PermissionDenied("该机构不在您的管理范围内。")
    grantable = grantable_roles(actor.roles, actor.is_superuser)
    if user.pk and not set(User.objects.get(pk=user.pk).roles) <= grantable:
        raise PermissionDenied("该账户持有您无权授予的角色，只能由上级管理人员修改。")
    if not set(roles) <= grantable:
        raise PermissionDenied("您无权授予该角色。")
    if password:
        user.set_password(password)
    user.save()
    assign_roles(user, roles)
    return user
