"""The mobile capture PWA at a stable address: /m/capture/ (scope /m/)."""

from django.urls import path

from . import views_evidence

urlpatterns = [
    path("capture/", views_evidence.CaptureView.as_view(), name="capture"),
    path("manifest.webmanifest", views_evidence.manifest, name="capture_manifest"),
    path("sw.js", views_evidence.service_worker, name="capture_sw"),
]
