from django import forms

from zhifa.core.scope import scope_for
from zhifa.organizations.models import Organization

from .kinds import KINDS
from .models import NumberPattern


class TemplateUploadForm(forms.Form):
    file = forms.FileField(
        label="模板文件（.docx）",
        help_text="先下载当前模板，在Word或WPS中修改后上传；{{ }} 和 {%p %} 标记须保留。不超过5MB。",
        widget=forms.ClearableFileInput(
            attrs={"accept": ".docx,application/vnd.openxmlformats-officedocument.wordprocessingml.document"}
        ),
    )
    note = forms.CharField(label="修改说明", max_length=200, required=False)


class NumberPatternForm(forms.ModelForm):
    class Meta:
        model = NumberPattern
        fields = ["agency", "kind", "pattern", "abbreviation", "pad_width"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Organization.objects.for_user(user).agencies()
        self.fields["agency"].required = not scope_for(user).everything
        self.fields["kind"].choices = [
            (k.code, f"{k.name}（默认代字：{k.abbreviation}）") for k in KINDS.values() if k.numbered
        ]
        if self.instance.pk:
            self.fields["agency"].disabled = True
            self.fields["kind"].disabled = True
