from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect

from zhifa.core.views import ScopedCreateView, ScopedListView, ScopedUpdateView

from . import services
from .filters import UserFilter
from .forms import UserForm
from .models import User


class LoginForm(AuthenticationForm):
    def __init__(self, request=None, *args, **kwargs):
        from django.conf import settings

        super().__init__(request, *args, **kwargs)
        self.error_messages = {
            "invalid_login": f"用户名或密码错误。连续输错{settings.AXES_FAILURE_LIMIT}次后账户将被临时锁定。",
            "inactive": "该账户已停用，请联系管理员。",
        }
        self.fields["username"].label = "用户名"
        self.fields["password"].label = "密码"


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = "/staff/"

    def form_valid(self, form):
        messages.success(self.request, "密码已修改。")
        return super().form_valid(form)


class UserListView(ScopedListView):
    model = User
    permission_required = "accounts.view_user"
    filterset_class = UserFilter
    template_name = "accounts/user_list.html"

    def get_queryset(self):
        return (
            super()
            .get_queryset()
            .select_related("organization")
            .prefetch_related("groups")
            .order_by("username")
        )


class UserSaveMixin:
    model = User
    form_class = UserForm
    template_name = "accounts/user_form.html"

    def form_valid(self, form):
        user = form.save(commit=False)
        services.save_user(
            self.request.user, user, form.cleaned_data["roles"], form.cleaned_data.get("password")
        )
        messages.success(self.request, f"账户“{user.username}”已保存。")
        return redirect("accounts:user_list")


class UserCreateView(UserSaveMixin, ScopedCreateView):
    permission_required = "accounts.add_user"


class UserUpdateView(UserSaveMixin, ScopedUpdateView):
    permission_required = "accounts.change_user"
