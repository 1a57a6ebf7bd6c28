from django.contrib import admin
from django.urls import include, path

from parstat.ops.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("analytics/", include("parstat.analytics.urls")),
    path("api/", include("parstat.api.urls")),
    path("", include("parstat.web.urls")),
]
