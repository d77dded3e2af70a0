from drf_spectacular.utils import extend_schema
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .serializers import MeSerializer


@extend_schema(responses=MeSerializer, summary="当前用户、所在机构与角色")
@api_view(["GET"])
def me(request):
    return Response(MeSerializer(request.user).data)


from django.urls import path  # noqa: E402

urlpatterns = [path("me/", me, name="api-me")]
