"""The staff redaction preview (G4, G8): original and redacted text side by side, nothing stored."""

import pytest
from django.urls import reverse

from zhifa.core.rules import id_number_check_char

pytestmark = pytest.mark.django_db

ID_NUMBER = "37010219800307123" + id_number_check_char("37010219800307123")
TEXT = (
    f"当事人：王小明，男，身份证号码：{ID_NUMBER}，联系电话：13912345678。"
    "证人李红梅在场。执法人员刘建国出示证件。当事人的供货商济南华盛商贸有限公司提供了凭证。"
)


def test_preview_needs_login(client):
    response = client.get(reverse("publicity:redaction_preview"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_g4_g8_preview_shows_original_and_redacted_side_by_side(world, client_for):
    client = client_for(world.users["admin"])
    url = reverse("publicity:redaction_preview")
    assert "公示脱敏预览" in client.get(url).content.decode()
    page = client.post(
        url, {"text": TEXT, "party_names": "王小明", "other_names": "", "keep": "刘建国", "manual": "华盛"}
    ).content.decode()
    original, redacted = page.split('id="original"')[1].split('id="redacted"')
    redacted = redacted.split("</pre>")[0]
    assert f'<mark class="removed" title="身份证号（G8）">{ID_NUMBER}</mark>' in original
    assert ID_NUMBER not in redacted and "13912345678" not in redacted and "李红梅" not in redacted
    assert '<mark class="added" title="被处罚自然人姓名隐去名，仅保留姓（G4）">王某某</mark>' in redacted
    assert "执法人员刘建国" in redacted  # keep
    assert '济南<mark class="added" title="审核人手动隐去（G4）">[已隐去]</mark>商贸有限公司' in redacted
    assert "审核人手动隐去（G4）" in page and "刘建国（指定保留（执法人员等公开信息））" in page


def test_preview_without_text_shows_an_error(world, client_for):
    client = client_for(world.users["admin"])
    page = client.post(reverse("publicity:redaction_preview"), {"text": ""}).content.decode()
    assert "请粘贴需要脱敏的文本。" in page and 'id="original"' not in page
