"""Shared API pieces: the scoped viewset base and an exception handler with Chinese messages."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import permissions, serializers, viewsets
from rest_framework.views import exception_handler as drf_exception_handler

from .scope import scope_for


def exception_handler(exc, context):
    # Model-level ValidationErrors raised by services become 400 responses with field messages.
    if isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = serializers.ValidationError(detail)
    return drf_exception_handler(exc, context)


class ModelPermissions(permissions.DjangoModelPermissions):
    """Django model permissions, reading included: a role without ``view_x`` cannot list x."""

    perms_map = {**permissions.DjangoModelPermissions.perms_map, "GET": ["%(app_label)s.view_%(model_name)s"]}


class ScopedViewSetMixin:
    """Every API queryset goes through the requesting user's scope (404 outside it)."""

    def get_queryset(self):
        return super().get_queryset().for_user(self.request.user)


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    pass


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


def user_scope(request):
    return scope_for(request.user)
