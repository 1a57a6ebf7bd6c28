from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("analytics/", include("parstat.analytics.urls")),
    path("api/", include("parstat.api.urls")),
    path("", include("parstat.web.urls")),
]
