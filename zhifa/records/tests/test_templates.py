"""Every kind's default template renders its sample and says what the law requires it to say."""

import zipfile
from decimal import Decimal

import pytest

from zhifa.records import build_templates, kinds, rendering, services

ALL_KINDS = list(kinds.KINDS)
pytestmark = pytest.mark.django_db


def render(kind, **changes):
    context = services.sample_context(kind)
    for path, value in changes.items():
        target = context
        *parents, last = path.split(".")
        for part in parents:
            target = target[int(part)] if part.isdigit() else target[part]
        target[last] = value
    return rendering.docx_text(services.render_docx(kind, context))


def test_registry_covers_the_documents_the_issue_lists():
    names = {kind.name for kind in kinds.KINDS.values()}
    assert {
        "立案审批表",
        "现场检查笔录",
        "询问笔录",
        "先行登记保存证据通知书",
        "查封（扣押）决定书",
        "延长查封（扣押）期限通知书",
        "行政处罚事先告知书",
        "行政处罚听证告知书",
        "行政处罚听证通知书",
        "听证笔录",
        "重大案件集体讨论记录",
        "行政处罚决定书",
        "当场行政处罚决定书",
        "不予行政处罚决定书",
        "送达回证",
        "催告书",
        "结案报告",
        "重大执法决定法制审核意见书",  # issue 5 (L4)
    } == names
    assert set(build_templates.BUILDERS) == set(kinds.KINDS)


def test_abbreviations_are_distinct_and_records_have_none():
    numbered = [k.abbreviation for k in kinds.KINDS.values() if k.numbered]
    assert len(numbered) == len(set(numbered))
    for code in ("inspection_record", "inquiry_record", "hearing_record", "service_receipt"):
        assert not kinds.KINDS[code].numbered


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_sample_is_complete_and_renders_with_the_required_content(kind):
    document_kind = kinds.KINDS[kind]
    sample = services.sample_context(kind)
    assert kinds.missing_keys(document_kind, sample) == []
    text = rendering.docx_text(services.render_docx(kind, sample))
    for path in document_kind.required_text_paths():
        assert str(kinds.lookup(sample, path)) in text, path
    assert "{{" not in text and "{%" not in text


@pytest.mark.parametrize("kind", ALL_KINDS)
def test_committed_templates_are_what_the_build_script_makes(kind, tmp_path):
    """Run ``uv run python -m zhifa.records.build_templates`` after editing the script."""
    built = tmp_path / f"{kind}.docx"
    build_templates.build(kind, built)

    def body(path):
        with zipfile.ZipFile(path) as archive:
            return archive.read("word/document.xml")

    assert body(built) == body(rendering.builtin_template_path(kind))


def test_p10_penalty_decision_states_every_article_59_item():
    """P10: 处罚法 Art. 59 (一)–(六) and the seal."""
    sample = services.sample_context("penalty_decision")
    text = render("penalty_decision")
    party = sample["parties"][0]
    assert party["name"] in text and party["address"] in text  # (一)
    assert sample["facts"] in text and sample["evidence"][0] in text  # (二)
    assert "罚款" in text and sample["penalty"]["basis"][0]["citation"] in text  # (三)
    assert "自收到本决定书之日起15日内缴纳罚款人民币捌万元整（80000.00元）" in text  # (四)
    assert sample["penalty"]["payment_method"] in text
    assert "六十日内向示范市人民政府申请行政复议" in text and "六个月内" in text  # (五)
    assert text.count("示范市市场监督管理局") >= 2 and "2026年11月30日" in text  # (六)
    assert "（印章）" in text
    assert "百分之三加处罚款" in text  # P12, Art. 72
    assert "不停止执行" in text  # Art. 73


def test_p10_decision_without_a_fine_has_no_payment_sentence():
    text = render(
        "penalty_decision", **{"penalty.fine": None, "penalty.kinds": ["警告"], "penalty.content": "警告"}
    )
    assert "缴纳罚款" not in text and "警告" in text


def test_t2_summary_decision_says_reconsideration_comes_first():
    """T2 and P2: the 当场 decision carries the 复议-first wording and the Art. 52 items."""
    text = render("summary_penalty_decision")
    assert "先向示范市人民政府申请行政复议" in text
    assert "《中华人民共和国行政复议法》第二十三条" in text
    assert "当场交付当事人" in text and "备案" in text
    assert "执法人员" in text and "37990021001" in text
    assert "时间：2026年11月22日10时15分" in text and "地点：示范市东城区泉城路166号" in text


def test_p2_summary_decision_with_a_fine_writes_the_amount_in_words():
    text = render(
        "summary_penalty_decision",
        **{
            "penalty.fine": Decimal("200"),
            "penalty.content": "罚款人民币贰佰元",
            "penalty.payment_method": "当场缴纳",
        },
    )
    assert "罚款数额：人民币贰佰元整（200.00元）" in text


def test_p6_p8_prior_notice_states_rights_and_periods():
    """P6/P8: 处罚法 Art. 44, 45, 63, 64 — facts, reasons, basis, penalty, 陈述申辩 and 听证."""
    text = render("penalty_notice")
    for wording in (
        "陈述、申辩",
        "要求听证",
        "5个工作日内",
        "不因你（单位）的陈述、申辩而给予更重的处罚",
        "第六十三条",
    ):
        assert wording in text
    without_hearing = render("penalty_notice", **{"rights.hearing_offered": False})
    assert "要求听证" not in without_hearing and "听证" not in without_hearing
    assert "陈述、申辩" in without_hearing


def test_p8_hearing_documents_carry_the_hearing_rules():
    """P8: 处罚法 Art. 63, 64 — request period, no cost, agents, recusal, absence as waiver."""
    rights = render("hearing_rights_notice")
    assert "不承担行政机关组织听证的费用" in rights and "5个工作日内" in rights
    notice = render("hearing_notice")
    for wording in ("委托一至二人代理", "申请回避", "视为放弃听证权利", "公开举行听证"):
        assert wording in notice
    private = render(
        "hearing_notice", **{"hearing.public": False, "hearing.reason_not_public": "涉及商业秘密"}
    )
    assert "因涉及商业秘密，本次听证依法不公开举行" in private
    record = render("hearing_record")
    assert "听证主持人" in record and "核对无误后签字或者盖章" in record


def test_c1_c2_seizure_decision_has_the_article_24_items():
    """C1/C2: 强制法 Art. 24 — reason, basis, period, the goods, remedy, agency, seal, date."""
    text = render("seizure_decision")
    for wording in (
        "涉嫌经营超过保质期的食品",
        "《中华人民共和国食品安全法》第一百一十条第（四）项",
        "扣押期限为30日，自2026年11月2日起至2026年12月1日止",
        "“鲜味牌”酱牛肉（保质期至2026年10月30日）",
        "申请行政复议",
        "（印章）",
    ):
        assert wording in text
    extension = render("seizure_extension_notice")
    assert "延长30日，至2026年12月31日止" in extension and "示市监封扣〔2026〕6号" in extension


def test_p5_preservation_notice_cites_article_56_and_the_seven_day_decision():
    text = render("preservation_notice")
    assert "第五十六条" in text and "七个工作日内" in text and "不得销毁或者转移证据" in text


def test_c3_demand_notice_states_period_amount_and_right_to_be_heard():
    """C3/C4: 强制法 Art. 35 — period, manner, amount, 陈述申辩; Art. 54 court application."""
    text = render("demand_notice")
    assert "10个工作日内" in text
    assert "人民币捌万元整（80000.00元）" in text and "叁万陆仟元整（36000.00元）" in text
    assert "陈述和申辩" in text and "第五十四条" in text


def test_p7_no_penalty_decision_cites_its_ground_and_education():
    text = render("no_penalty_decision")
    assert "决定对当事人不予行政处罚" in text and "第三十三条第一款" in text and "进行了教育" in text
    assert "申请行政复议" in text


def test_records_end_with_signature_lines():
    for kind in ("inspection_record", "inquiry_record", "hearing_record", "collective_discussion"):
        assert "签名：______________" in render(kind), kind


def test_values_are_escaped_into_the_document_xml():
    text = render("penalty_decision", **{"parties.0.name": "A&B <贸易> 公司"})
    assert "A&B <贸易> 公司" in text


def test_case_engine_data_may_be_missing_nothing():
    context = services.sample_context("penalty_decision")
    del context["penalty"]["basis"]
    with pytest.raises(services.ValidationError, match="penalty.basis"):
        services.render_docx("penalty_decision", context)
