from django.urls import path

from . import (
    views,
    views_agency,
    views_decisions,
    views_ledger,
    views_opendata,
    views_personnel,
    views_powers,
    views_procedures,
)

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("officers/", views_personnel.officer_list, name="officer_list"),
    path("officers/<int:pk>/photo/", views_personnel.officer_photo, name="officer_photo"),
    path("officers/<int:pk>/", views_personnel.officer_detail, name="officer_detail"),
    path("officers/<int:pk>/card/", views_personnel.officer_card, name="officer_card"),
    path("officers/<int:pk>/qr/<str:number>.png", views_personnel.officer_qr_png, name="officer_qr_png"),
    path("verify/", views_personnel.verify, name="verify"),
    path("verify/<str:number>/", views_personnel.verify_certificate, name="verify_certificate"),
    path("laws/", views_powers.law_list, name="law_list"),
    path("laws/<int:pk>/", views_powers.law_detail, name="law_detail"),
    path("agencies/<int:pk>/powers/", views_powers.agency_powers, name="agency_powers"),
    path("agencies/<int:pk>/inspections/", views_powers.agency_inspections, name="agency_inspections"),
    path("discretion/", views_powers.discretion_list, name="discretion_list"),
    path("agencies/<int:pk>/discretion/", views_powers.agency_discretion, name="agency_discretion"),
    path(
        "agencies/<int:pk>/legal-review/",
        views_powers.agency_review_catalogue,
        name="agency_review_catalogue",
    ),
    path("procedures/", views_procedures.procedure_list, name="procedure_list"),
    path("procedures/<slug:code>/", views_procedures.procedure_detail, name="procedure_detail"),
    path("agencies/<int:pk>/guide/", views_agency.agency_guide, name="agency_guide"),
    path(
        "agencies/<int:pk>/inspection-plans/",
        views_agency.agency_inspection_plans,
        name="agency_inspection_plans",
    ),
    path("open-data/", views_opendata.opendata_docs, name="opendata_docs"),
    path("open-data/<slug:category>.<slug:fmt>", views_opendata.opendata_export, name="opendata_export"),
    path("decisions/", views_decisions.decision_list, name="decision_list"),
    path("decisions/<int:pk>/", views_decisions.decision_detail, name="decision_detail"),
    path(
        "agencies/<int:pk>/decisions/feed/",
        views_decisions.AgencyDecisionsFeed(),
        name="agency_decisions_feed",
    ),
    path("sitemap.xml", views_decisions.sitemap_index, name="sitemap"),
    path("sitemap-pages.xml", views_decisions.sitemap_pages, name="sitemap_pages"),
    path("sitemap-decisions-<int:n>.xml", views_decisions.sitemap_decisions, name="sitemap_decisions"),
    path("ledger/", views_ledger.checkpoints, name="ledger"),
    path("ledger/verify_proof.py", views_ledger.verify_script, name="ledger_script"),
    path("entrustments/<int:pk>/document/", views.entrustment_document, name="entrustment_document"),
]

# 年度行政执法数据 (G6, G11): published reports only.
from . import views_annual  # noqa: E402

urlpatterns += [
    path("agencies/<int:pk>/annual-reports/", views_annual.portal_annual_list, name="annual_reports"),
    path(
        "agencies/<int:pk>/annual-reports/<int:year>/",
        views_annual.portal_annual_detail,
        name="annual_report_detail",
    ),
    path(
        "agencies/<int:pk>/annual-reports/<int:year>/pdf/",
        views_annual.portal_annual_pdf,
        name="annual_report_pdf",
    ),
]
