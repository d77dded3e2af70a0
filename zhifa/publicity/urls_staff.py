from django.urls import path

from . import views_redaction

app_name = "publicity"
urlpatterns = [
    path("redaction-preview/", views_redaction.redaction_preview, name="redaction_preview"),
]

# 年度行政执法数据 (G6, G11)
from . import views_annual  # noqa: E402

urlpatterns += [
    path("annual-reports/", views_annual.annual_list, name="annual_list"),
    path("annual-reports/compute/", views_annual.annual_compute, name="annual_compute"),
    path("annual-reports/<int:pk>/", views_annual.annual_detail, name="annual_detail"),
    path("annual-reports/<int:pk>/narrative/", views_annual.annual_narrative, name="annual_narrative"),
    path("annual-reports/<int:pk>/publish/", views_annual.annual_publish, name="annual_publish"),
    path("annual-reports/<int:pk>/pdf/", views_annual.annual_pdf, name="annual_pdf"),
]

# 执法结果公示 (G3–G5)
from . import views_publications  # noqa: E402

urlpatterns += [
    path("publications/", views_publications.publication_list, name="publication_list"),
    path("publications/<int:pk>/", views_publications.publication_detail, name="detail"),
]
