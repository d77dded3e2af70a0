from django.urls import path

from . import views, views_evidence

app_name = "records"
urlpatterns = [
    path("", views.TemplateListView.as_view(), name="template_list"),
    path("templates/<str:kind>/", views.TemplateDetailView.as_view(), name="template_detail"),
    path("templates/<str:kind>/upload/", views.TemplateUploadView.as_view(), name="template_upload"),
    path(
        "templates/<str:kind>/versions/<int:version>/download/",
        views.TemplateDownloadView.as_view(),
        name="template_download",
    ),
    path(
        "templates/<str:kind>/versions/<int:version>/activate/",
        views.TemplateActivateView.as_view(),
        name="template_activate",
    ),
    path(
        "templates/<str:kind>/preview.<str:fmt>", views.TemplatePreviewView.as_view(), name="template_preview"
    ),
    path("numbering/", views.NumberPatternListView.as_view(), name="pattern_list"),
    path("numbering/new/", views.NumberPatternCreateView.as_view(), name="pattern_create"),
    path("numbering/<int:pk>/edit/", views.NumberPatternUpdateView.as_view(), name="pattern_update"),
    path("documents/", views.DocumentListView.as_view(), name="document_list"),
    path("documents/<int:pk>/", views.DocumentDetailView.as_view(), name="document_detail"),
    path("documents/<int:pk>/render-pdf/", views.DocumentRenderPdfView.as_view(), name="document_render_pdf"),
    path("documents/<int:pk>/file.<str:fmt>", views.DocumentFileView.as_view(), name="document_file"),
    path("evidence/", views_evidence.EvidenceListView.as_view(), name="evidence_list"),
    path("evidence/late/", views_evidence.LateStatisticsView.as_view(), name="evidence_late"),
    path("evidence/<int:pk>/", views_evidence.EvidenceDetailView.as_view(), name="evidence_detail"),
    path("evidence/<int:pk>/content/", views_evidence.EvidenceContentView.as_view(), name="evidence_content"),
    path(
        "evidence/<int:pk>/download/", views_evidence.EvidenceDownloadView.as_view(), name="evidence_download"
    ),
    path("evidence/<int:pk>/retire/", views_evidence.EvidenceRetireView.as_view(), name="evidence_retire"),
    path("cases/<int:case_id>/evidence/", views_evidence.CaseEvidenceView.as_view(), name="case_evidence"),
    path("cases/<int:case_id>/archive/", views_evidence.CaseArchiveView.as_view(), name="case_archive"),
    path("dossiers/<int:pk>/file.pdf", views_evidence.DossierFileView.as_view(), name="dossier_file"),
    path(
        "cases/<int:case_id>/recording-exceptions/",
        views_evidence.RecordingExceptionView.as_view(),
        name="recording_exception",
    ),
]
