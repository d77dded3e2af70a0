from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .roles import ROLE_PERMISSIONS, Role


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
