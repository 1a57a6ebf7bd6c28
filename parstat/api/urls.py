"""``/api/v1/…``: the API, its OpenAPI document and its docs page with local assets.

No ``app_name`` here: the NinjaAPI has its own namespace (``api-v1``), which its docs page
reverses without a parent namespace.
"""

from django.urls import path, re_path

from .app import api, not_found
from .docs import asset

urlpatterns = [
    path("v1/docs/assets/<str:name>", asset, name="api-assets"),
    path("v1/", api.urls),
    re_path(r"^", not_found),  # any other address under /api/: the API's JSON 404
]
