from django.urls import path

from . import views, views_ledger, views_personnel, views_powers, views_procedures

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("officers/", views_personnel.officer_list, name="officer_list"),
    path("officers/<int:pk>/photo/", views_personnel.officer_photo, name="officer_photo"),
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
    path("ledger/", views_ledger.checkpoints, name="ledger"),
    path("ledger/verify_proof.py", views_ledger.verify_script, name="ledger_script"),
    path("entrustments/<int:pk>/document/", views.entrustment_document, name="entrustment_document"),
]
