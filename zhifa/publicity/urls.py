from django.urls import path

from . import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("agencies/", views.agency_list, name="agency_list"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency_detail"),
    path("officers/", views.placeholder, name="officer_list"),
    path("verify/", views.placeholder, name="verify"),
    path("laws/", views.placeholder, name="law_list"),
    path("entrustments/<int:pk>/document/", views.entrustment_document, name="entrustment_document"),
]
