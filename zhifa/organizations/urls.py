from django.urls import path

from . import views

app_name = "organizations"
urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="organization_list"),
    path("new/", views.OrganizationCreateView.as_view(), name="organization_create"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("<int:pk>/edit/", views.OrganizationUpdateView.as_view(), name="organization_update"),
    path("entrustments/new/", views.EntrustmentCreateView.as_view(), name="entrustment_create"),
    path("entrustments/<int:pk>/revoke/", views.EntrustmentRevokeView.as_view(), name="entrustment_revoke"),
    path("regions/", views.RegionListView.as_view(), name="region_list"),
    path("regions/new/", views.RegionCreateView.as_view(), name="region_create"),
    path("regions/<int:pk>/edit/", views.RegionUpdateView.as_view(), name="region_update"),
    path("fields/", views.FieldListView.as_view(), name="enforcementfield_list"),
    path("fields/new/", views.FieldCreateView.as_view(), name="enforcementfield_create"),
    path("fields/<int:pk>/edit/", views.FieldUpdateView.as_view(), name="enforcementfield_update"),
]
