from django.urls import path

from . import views

app_name = "personnel"
urlpatterns = [
    path("", views.OfficerListView.as_view(), name="officer_list"),
    path("me/", views.my_officer, name="my_officer"),
    path("new/", views.OfficerCreateView.as_view(), name="officer_create"),
    path("import/", views.ImportView.as_view(), name="officer_import"),
    path("import/template.xlsx", views.import_template, name="import_template"),
    path("<int:pk>/", views.OfficerDetailView.as_view(), name="officer_detail"),
    path("<int:pk>/edit/", views.OfficerUpdateView.as_view(), name="officer_update"),
    path("<int:pk>/photo/", views.officer_photo, name="officer_photo"),
    path("<int:pk>/certificates/new/", views.CertificateIssueView.as_view(), name="certificate_issue"),
    path("<int:pk>/training/new/", views.TrainingCreateView.as_view(), name="training_create"),
    path("<int:pk>/exams/new/", views.ExamCreateView.as_view(), name="exam_create"),
    path("certificates/", views.CertificateListView.as_view(), name="certificate_list"),
    path(
        "certificates/<int:pk>/suspend/",
        views.CertificateActionView.as_view(action="suspend"),
        name="certificate_suspend",
    ),
    path(
        "certificates/<int:pk>/revoke/",
        views.CertificateActionView.as_view(action="revoke"),
        name="certificate_revoke",
    ),
    path(
        "certificates/<int:pk>/reinstate/",
        views.CertificateActionView.as_view(action="reinstate"),
        name="certificate_reinstate",
    ),
    path(
        "certificates/<int:pk>/inspections/new/",
        views.InspectionCreateView.as_view(),
        name="inspection_create",
    ),
    path("policies/", views.PolicyListView.as_view(), name="policy_list"),
    path("policies/new/", views.PolicyCreateView.as_view(), name="policy_create"),
    path("policies/<int:pk>/edit/", views.PolicyUpdateView.as_view(), name="policy_update"),
]
