"""The one scoping mechanism every list, detail page, API endpoint and export goes through.

Organizations form one materialized-path tree (人民政府 → 执法主体 → 内设机构). A user's scope is a
subtree of it: an agency user sees the subtree of their 执法主体, a supervisor (司法局 / 政府法制机构)
the subtree of their 人民政府, i.e. their region; an administrator sees everything. Each scoped model
names, in ``scope_path``, the lookup from itself to its organization's ``path``; querysets are then
narrowed with ``Model.objects.for_user(user)``. An object outside the scope is simply not found,
so guessing another agency's id yields 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class Scope:
    everything: bool = False
    root_path: str | None = None  # subtree root; None (and not everything) means nothing

    def apply(self, queryset: models.QuerySet, path_lookup: str) -> models.QuerySet:
        if self.everything:
            return queryset
        if not self.root_path:
            return queryset.none()
        return queryset.filter(**{f"{path_lookup}__startswith": self.root_path})

    def contains_path(self, path: str | None) -> bool:
        if self.everything:
            return True
        return bool(self.root_path and path and path.startswith(self.root_path))


NOTHING = Scope()
EVERYTHING = Scope(everything=True)


def scope_for(user) -> Scope:
    """The scope of a user, cached on the user object for the request."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NOTHING
    cached = getattr(user, "_zhifa_scope", None)
    if cached is None:
        cached = user._zhifa_scope = _compute_scope(user)
    return cached


def _compute_scope(user) -> Scope:
    from zhifa.accounts.roles import Role

    if user.is_superuser or user.has_role(Role.ADMIN):
        return EVERYTHING
    organization = user.organization
    if organization is None:
        return NOTHING
    if user.has_role(Role.SUPERVISOR):
        root = organization.nearest(kind="government")
    else:
        root = organization.nearest(kind="agency")
    return Scope(root_path=root.path) if root else NOTHING


class ScopedQuerySet(models.QuerySet):
    def for_user(self, user) -> models.QuerySet:
        return scope_for(user).apply(self, self.model.scope_path)


ScopedManager = models.Manager.from_queryset(ScopedQuerySet)
