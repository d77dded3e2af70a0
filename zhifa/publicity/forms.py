"""Staff forms of the 公示 app."""

import re

from django import forms

_SPLIT = re.compile(r"[\n\r、,，;；]+")


def _lines(value: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(value or "") if part.strip()]


class RedactionPreviewForm(forms.Form):
    """Paste a decision text and the case's names; nothing is stored (G4, G8)."""

    text = forms.CharField(
        label="待公示文本",
        max_length=50000,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text="粘贴行政处罚决定书等拟公示文本。预览不保存任何内容。",
        error_messages={"required": "请粘贴需要脱敏的文本。", "max_length": "文本过长：一次最多50000字。"},
    )
    party_names = forms.CharField(
        label="被处罚自然人姓名",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="含个体工商户经营者；隐去名、保留姓（如王某某，G4）。多个姓名用换行或顿号分隔。",
    )
    other_names = forms.CharField(
        label="其他自然人姓名",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="证人、家属、雇员等，一律隐去（G8）。",
    )
    keep = forms.CharField(
        label="保留不隐去",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="执法人员姓名、法人的法定代表人（G10）、单位名称、机关电话等。身份证号和手机号不能保留。",
    )
    manual = forms.CharField(
        label="人工隐去",
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="审核人认为还需隐去的文字，每行一条；文中出现处全部隐去。",
    )

    def cleaned_lists(self) -> dict[str, list[str]]:
        return {
            name: _lines(self.cleaned_data[name]) for name in ("party_names", "other_names", "keep", "manual")
        }
