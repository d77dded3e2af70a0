from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm


class LoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": "用户名或密码错误。连续输错%(limit)s次后账户将被临时锁定。",
        "inactive": "该账户已停用，请联系管理员。",
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        from django.conf import settings

        self.error_messages = {
            **self.error_messages,
            "invalid_login": self.error_messages["invalid_login"] % {"limit": settings.AXES_FAILURE_LIMIT},
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
        from django.contrib import messages

        messages.success(self.request, "密码已修改。")
        return super().form_valid(form)
