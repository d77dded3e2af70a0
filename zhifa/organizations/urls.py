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
]
