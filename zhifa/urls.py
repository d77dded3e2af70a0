from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

admin.site.site_header = "执法平台管理后台"
admin.site.site_title = "执法平台"

urlpatterns = [
    path("", include("zhifa.publicity.urls")),
    path("staff/", include("zhifa.core.urls")),
    path("staff/accounts/", include("zhifa.accounts.urls")),
    path("staff/organizations/", include("zhifa.organizations.urls")),
    path("staff/personnel/", include("zhifa.personnel.urls")),
    path("staff/powers/", include("zhifa.powers.urls")),
    path("staff/workdays/", include("zhifa.workdays.urls")),
    path("staff/records/", include("zhifa.records.urls")),
    path("staff/cases/", include("zhifa.cases.urls")),
    path("staff/inspections/", include("zhifa.inspections.urls")),
    path("staff/review/", include("zhifa.review.urls")),
    path("m/", include("zhifa.records.urls_mobile")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("api/accounts/", include("zhifa.accounts.api")),
    path("api/organizations/", include("zhifa.organizations.api")),
    path("api/personnel/", include("zhifa.personnel.api")),
    path("api/powers/", include("zhifa.powers.api")),
    path("api/workdays/", include("zhifa.workdays.api")),
    path("api/records/", include("zhifa.records.api")),
    path("api/cases/", include("zhifa.cases.api")),
    path("api/inspections/", include("zhifa.inspections.api")),
    path("api/review/", include("zhifa.review.api")),
    path("api/ledger/", include("zhifa.ledger.api")),
    path("api/publicity/", include("zhifa.publicity.api")),
    path("staff/ledger/", include("zhifa.ledger.urls")),
    path("staff/publicity/", include("zhifa.publicity.urls_staff")),
    path("admin/", admin.site.urls),
]
