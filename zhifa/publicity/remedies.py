"""监督方式和救济渠道 (G1, T2): pure rules naming where a party can complain, ask for 行政复议 and
sue, from facts of the org tree. No database.

* 行政复议 (《行政复议法》2023年修订): a 县级以上地方人民政府 handles applications against its own
  工作部门 (第二十四条); against 海关、金融、外汇管理等实行垂直领导的机关、税务和国家安全机关 one applies
  to the 上一级主管部门 (第二十七条); against a 司法行政部门 that performs the 复议机构 duties, to the
  本级人民政府 or the 上一级司法行政部门 (第二十八条). Period: 60 days from knowing (第二十条).
* 当场作出的行政处罚决定: 复议前置 (第二十三条第一款第一项).
* 行政诉讼: the court where the agency sits (《行政诉讼法》第十八条), 6 months (第四十六条);
  after a 复议 decision, 15 days (第四十五条).
"""

from __future__ import annotations

from dataclasses import dataclass

VERTICAL_MARKERS = ("海关", "税务", "国家安全", "外汇", "金融监督管理", "金融监管")


@dataclass(frozen=True)
class Remedies:
    reconsideration_body: str
    reconsideration_basis: str
    litigation: str
    summary_first: str
    complaint: str


def remedies(
    agency_name: str,
    *,
    government_name: str | None,
    region_name: str,
    is_legal_office: bool = False,
    legal_office_name: str | None = None,
    complaint_phone: str = "",
) -> Remedies:
    if any(marker in agency_name for marker in VERTICAL_MARKERS):
        body = "其上一级主管部门"
        basis = "《中华人民共和国行政复议法》第二十七条"
    elif is_legal_office and government_name:
        body = f"{government_name}或者上一级司法行政部门"
        basis = "《中华人民共和国行政复议法》第二十八条"
    elif government_name:
        body = government_name
        basis = "《中华人民共和国行政复议法》第二十四条"
    else:
        body = "依法履行行政复议职责的行政机关"
        basis = "《中华人民共和国行政复议法》第二十四条至第二十八条"
    litigation = (
        f"也可以自知道或者应当知道作出行政行为之日起六个月内，向{agency_name}所在地（{region_name}）"
        "有管辖权的人民法院提起行政诉讼（《中华人民共和国行政诉讼法》第十八条、第四十六条）；"
        "经行政复议的，可以在收到复议决定书之日起十五日内提起诉讼（同法第四十五条）。"
    )
    summary_first = (
        "对当场作出的行政处罚决定不服的，应当先申请行政复议；对复议决定不服的，再提起行政诉讼"
        "（《中华人民共和国行政复议法》第二十三条第一款第一项）。"
    )
    if is_legal_office:
        supervisor = f"{government_name or '本级人民政府'}或者上一级司法行政部门"
    else:
        supervisor = legal_office_name or "本级人民政府司法行政部门"
    phone = f"拨打本机关投诉举报电话（{complaint_phone}），或者" if complaint_phone else ""
    complaint = (
        f"对执法人员的执法行为有意见的，可以{phone}向行政执法监督机构{supervisor}投诉、举报，"
        "也可以拨打12345政务服务便民热线。"
    )
    return Remedies(
        reconsideration_body=body,
        reconsideration_basis=basis,
        litigation=litigation,
        summary_first=summary_first,
        complaint=complaint,
    )
