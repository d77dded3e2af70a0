from django.urls import path

from . import views_redaction

app_name = "publicity"
urlpatterns = [
    path("redaction-preview/", views_redaction.redaction_preview, name="redaction_preview"),
]
