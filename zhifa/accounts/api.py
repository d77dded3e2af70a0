from django.urls import path
from drf_spectacular.utils import extend_schema
from rest_framework.authtoken.models import Token
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.decorators import api_view
from rest_framework.response import Response

from .serializers import MeSerializer


@extend_schema(responses=MeSerializer, summary="当前用户、所在机构与角色")
@api_view(["GET"])
def me(request):
    return Response(MeSerializer(request.user).data)


class TokenView(ObtainAuthToken):
    """用户名和密码换取接口令牌（请求头 ``Authorization: Token <令牌>``）。

    It authenticates through the same backends as the login page, so the django-axes lockout
    after repeated failures applies here too.
    """

    def post(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            # django-axes marks the DRF request it was given; its middleware only sees Django's.
            if getattr(request, "axes_locked_out", False):
                return Response(
                    {"detail": "登录失败次数过多，账户已临时锁定，请稍后再试或联系管理员。"}, status=429
                )
            return Response({"detail": "用户名或密码错误。"}, status=400)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"token": token.key})


urlpatterns = [
    path("me/", me, name="api-me"),
    path("token/", TokenView.as_view(), name="api-token"),
]
