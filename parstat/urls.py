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

# The site's own error pages, in its layout and the reader's language (parstat/web/http_errors.py).
handler404 = "parstat.web.http_errors.not_found"
handler403 = "parstat.web.http_errors.forbidden"
handler500 = "parstat.web.http_errors.server_error"
