from django.urls import path

from . import views

app_name = "powers"
urlpatterns = [
    path("laws/", views.LawListView.as_view(), name="law_list"),
    path("laws/upload/", views.LawUploadView.as_view(), name="law_upload"),
    path("laws/<int:pk>/", views.LawDetailView.as_view(), name="law_detail"),
    path("laws/versions/<int:pk>/", views.LawVersionDetailView.as_view(), name="lawversion_detail"),
    path("articles/lookup/", views.ArticleLookupView.as_view(), name="article_lookup"),
    path("articles/<int:pk>/", views.ArticleDetailView.as_view(), name="article_detail"),
    path("items/", views.PowerItemListView.as_view(), name="poweritem_list"),
    path("items/new/", views.PowerItemCreateView.as_view(), name="poweritem_create"),
    path("items/<int:pk>/", views.PowerItemDetailView.as_view(), name="poweritem_detail"),
    path("items/<int:pk>/edit/", views.PowerItemUpdateView.as_view(), name="poweritem_update"),
    path("inspections/", views.InspectionItemListView.as_view(), name="inspectionitem_list"),
    path("inspections/new/", views.InspectionItemCreateView.as_view(), name="inspectionitem_create"),
    path("inspections/<int:pk>/", views.InspectionItemDetailView.as_view(), name="inspectionitem_detail"),
    path(
        "inspections/<int:pk>/edit/", views.InspectionItemUpdateView.as_view(), name="inspectionitem_update"
    ),
    path("discretion/", views.BenchmarkListView.as_view(), name="benchmark_list"),
    path("discretion/new/", views.BenchmarkCreateView.as_view(), name="benchmark_create"),
    path("discretion/import/", views.BenchmarkImportView.as_view(), name="benchmark_import"),
    path("discretion/import/template/", views.benchmark_template, name="benchmark_template"),
    path("discretion/<int:pk>/", views.BenchmarkDetailView.as_view(), name="benchmark_detail"),
    path("discretion/<int:pk>/edit/", views.BenchmarkUpdateView.as_view(), name="benchmark_update"),
    path("discretion/<int:pk>/publish/", views.BenchmarkPublishView.as_view(), name="benchmark_publish"),
    path("discretion/<int:pk>/withdraw/", views.BenchmarkWithdrawView.as_view(), name="benchmark_withdraw"),
    path("discretion/<int:pk>/revise/", views.BenchmarkReviseView.as_view(), name="benchmark_revise"),
]
