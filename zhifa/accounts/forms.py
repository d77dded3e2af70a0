from django import forms
from django.contrib.auth.password_validation import password_validators_help_text_html, validate_password

from zhifa.organizations.models import Organization

from .models import User
from .roles import Role
from .rules import grantable_roles


class UserForm(forms.ModelForm):
    roles = forms.MultipleChoiceField(label="角色", choices=Role.choices, widget=forms.CheckboxSelectMultiple)
    password = forms.CharField(
        label="初始密码",
        widget=forms.PasswordInput(render_value=False),
        required=False,
        help_text=password_validators_help_text_html(),
    )

    class Meta:
        model = User
        fields = ["username", "full_name", "phone", "organization", "is_active"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.actor = user
        allowed = grantable_roles(user.roles, user.is_superuser)
        self.fields["roles"].choices = [(r.value, r.label) for r in Role if r in allowed]
        self.fields["organization"].queryset = Organization.objects.for_user(user)
        self.fields["organization"].required = True
        if self.instance.pk:
            self.initial["roles"] = [r.value for r in self.instance.roles]
            self.fields["password"].label = "重置密码（留空则不修改）"
        else:
            self.fields["password"].required = True

    def clean_roles(self):
        return [Role(value) for value in self.cleaned_data["roles"]]

    def clean(self):
        cleaned = super().clean()
        if password := cleaned.get("password"):
            probe = self.instance if self.instance.pk else User(username=cleaned.get("username", ""))
            try:
                validate_password(password, probe)
            except forms.ValidationError as exc:
                self.add_error("password", exc)
        return cleaned
