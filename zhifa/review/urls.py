from django.urls import path

from . import views

app_name = "review"
urlpatterns = [
    path("", views.WorkbenchView.as_view(), name="workbench"),
    path("rounds/<int:pk>/", views.RoundDetailView.as_view(), name="round_detail"),
    path("cases/<int:pk>/", views.CaseReviewView.as_view(), name="case_review"),
    path("catalogue/", views.CatalogueListView.as_view(), name="catalogue_list"),
    path("catalogue/new/", views.CatalogueCreateView.as_view(), name="catalogue_create"),
    path("catalogue/<int:pk>/", views.CatalogueUpdateView.as_view(), name="catalogue_edit"),
    path("filings/", views.FilingListView.as_view(), name="filing_list"),
    path("filings/<int:pk>/", views.FilingDetailView.as_view(), name="filing_detail"),
    path("statistics/", views.StatisticsView.as_view(), name="statistics"),
]
