from django.urls import path

from . import views_redaction

app_name = "publicity"
urlpatterns = [
    path("redaction-preview/", views_redaction.redaction_preview, name="redaction_preview"),
]

# 执法结果公示 (G3–G5)
from . import views_publications  # noqa: E402

urlpatterns += [
    path("publications/", views_publications.publication_list, name="publication_list"),
    path("publications/<int:pk>/", views_publications.publication_detail, name="detail"),
]
