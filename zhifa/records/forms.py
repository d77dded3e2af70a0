from django import forms

from zhifa.core.scope import scope_for
from zhifa.organizations.models import Organization

from .kinds import KINDS
from .models import EvidenceKind, NumberPattern


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


# --- Evidence ----------------------------------------------------------------------------------
class EvidenceUploadForm(forms.Form):
    """The small-file form on a case's evidence page (large files: the resumable capture page)."""

    file = forms.FileField(
        label="证据文件", help_text="照片、录音、录像、文档或电子数据；大文件请用手机取证页断点续传。"
    )
    kind = forms.ChoiceField(label="证据种类", help_text="《行政处罚法》第四十六条（P4）。")
    activity = forms.ChoiceField(
        label="执法活动",
        required=False,
        help_text="录音录像属于音像记录事项清单中哪一项执法活动（R2）；查封扣押等须全程音像记录的活动必填。",
    )
    title = forms.CharField(label="名称", max_length=200, required=False, help_text="留空时使用文件名。")
    captured_at = forms.DateTimeField(
        label="采集时间",
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text="录音录像应在采集后2个工作日内上传（R3）。",
    )
    device = forms.CharField(
        label="采集设备", max_length=200, required=False, help_text="如 执法记录仪 编号 0123。"
    )
    location = forms.CharField(label="采集地点", max_length=200, required=False)
    description = forms.CharField(label="说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    request_key = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "请选择")] + list(EvidenceKind.choices)
        self.fields["activity"].choices = activity_choices()

    def clean_file(self):
        from . import evidence

        upload = self.cleaned_data["file"]
        if upload.size > evidence.max_bytes():
            raise forms.ValidationError(evidence.too_large_message(upload.size))
        if upload.size == 0:
            raise forms.ValidationError("文件是空的，请重新选择。")
        return upload


def activity_choices() -> list[tuple[str, str]]:
    from .models import RecordingRule

    rules = RecordingRule.objects.filter(is_active=True).order_by("order")
    return [("", "（不属于清单事项）")] + [(r.code, str(r)) for r in rules]


class ReasonForm(forms.Form):
    reason = forms.CharField(label="事由", max_length=300, help_text="如：法制审核调阅、案卷评查、复议答复。")
