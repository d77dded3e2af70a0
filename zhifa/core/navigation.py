"""The staff menu: (label, url name, permission needed to see it)."""

from django.urls import NoReverseMatch, reverse

STAFF_MENU = [
    ("工作台", "core:home", None),
    ("案件", "cases:case_list", "cases.view_case"),
    ("证据", "records:evidence_list", "records.view_evidence"),
    ("我的证件", "personnel:my_officer", None),
    ("组织机构", "organizations:organization_list", "organizations.view_organization"),
    ("执法人员", "personnel:officer_list", "personnel.view_officer"),
    ("执法证件", "personnel:certificate_list", "personnel.view_certificate"),
    ("法律法规", "powers:law_list", "powers.view_law"),
    ("权责清单", "powers:poweritem_list", "powers.view_poweritem"),
    ("裁量基准", "powers:benchmark_list", "powers.view_discretionbenchmark"),
    ("随机抽查事项", "powers:inspectionitem_list", "powers.view_inspectionitem"),
    ("双随机抽查", "inspections:task_list", "inspections.view_inspectiontask"),
    ("法制审核", "review:workbench", "review.view_reviewround"),
    ("备案", "review:filing_list", "review.view_filing"),
    ("工作日历", "workdays:calendar", "workdays.view_calendarday"),
    ("程序参数", "cases:settings", "cases.change_proceduresetting"),
    ("案号格式", "cases:number_pattern_list", "cases.change_casenumberpattern"),
    ("文书模板", "records:template_list", "records.view_documenttemplate"),
    ("账户", "accounts:user_list", "accounts.view_user"),
    ("行政区划", "organizations:region_list", "organizations.change_region"),
    ("执法领域", "organizations:enforcementfield_list", "organizations.change_enforcementfield"),
    ("存证日志", "ledger:status", "ledger.view_ledgercheckpoint"),
    ("年度执法数据", "publicity:annual_list", "publicity.view_annualreport"),
    ("执法结果公示", "publicity:publication_list", "publicity.view_publication"),
    ("公示脱敏预览", "publicity:redaction_preview", None),
    ("接口文档", "api-docs", None),
]


def staff_menu(request) -> list[dict]:
    user = request.user
    items = []
    for label, name, permission in STAFF_MENU:
        if permission and not user.has_perm(permission):
            continue
        try:
            url = reverse(name)
        except NoReverseMatch:  # an app that is not installed in this deployment
            continue
        items.append(
            {"label": label, "url": url, "active": request.path.startswith(url) and url != "/staff/"}
        )
    return items
