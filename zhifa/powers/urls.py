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
]
