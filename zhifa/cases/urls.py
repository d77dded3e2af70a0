from django.urls import path

from . import views, views_numbering, views_settings

app_name = "cases"
urlpatterns = [
    path("", views.CaseListView.as_view(), name="case_list"),
    path("new/", views.CaseCreateView.as_view(), name="case_create"),
    path("<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("<int:pk>/actions/<slug:code>/", views.CaseActionView.as_view(), name="case_action"),
    path("settings/", views_settings.SettingListView.as_view(), name="settings"),
    path("settings/new/", views_settings.SettingFormView.as_view(), name="setting_create"),
    path("settings/<int:pk>/", views_settings.SettingFormView.as_view(), name="setting_update"),
    path("numbering/", views_numbering.CaseNumberPatternListView.as_view(), name="number_pattern_list"),
    path(
        "numbering/new/", views_numbering.CaseNumberPatternCreateView.as_view(), name="number_pattern_create"
    ),
    path(
        "numbering/<int:pk>/edit/",
        views_numbering.CaseNumberPatternUpdateView.as_view(),
        name="number_pattern_update",
    ),
]
