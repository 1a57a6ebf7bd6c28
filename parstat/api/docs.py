"""The interactive API page, with Swagger UI served from this server, never from a CDN.

Servers of provincial offices sit on intranets; a docs page that fetches its JavaScript from the
internet is a blank page there. django-ninja ships Swagger UI in ``ninja/static/ninja/``; these
files are served by :func:`asset` under ``/api/v1/docs/assets/`` (so the page works without
``collectstatic`` or ``ninja`` in INSTALLED_APPS), and the page template names only them.
"""

from __future__ import annotations

import json
import mimetypes
from pathlib import Path
from typing import Any

import ninja
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET
from ninja.openapi.docs import DocsBase

ASSET_DIR = Path(ninja.__file__).resolve().parent / "static" / "ninja"
ASSETS = frozenset({"swagger-ui.css", "swagger-ui-bundle.js", "swagger-ui-init.js",
                    "favicon.svg", "favicon.png"})


class LocalSwagger(DocsBase):
    # validatorUrl None: Swagger UI would otherwise send the document to validator.swagger.io.
    settings = {"layout": "BaseLayout", "deepLinking": True, "persistAuthorization": True,
                "validatorUrl": None}

    def render_page(self, request: HttpRequest, api: Any, **kwargs: Any) -> HttpResponse:
        config = {**self.settings, "url": self.get_openapi_url(api, kwargs)}
        return render(request, "api/swagger.html", {
            "api": api, "swagger_settings": json.dumps(config, indent=1),
            "assets": reverse("api-assets", kwargs={"name": "x"}).removesuffix("x")})


@require_GET
def asset(request: HttpRequest, name: str) -> FileResponse:
    if name not in ASSETS:
        raise Http404(name)
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response = FileResponse((ASSET_DIR / name).open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=86400"
    return response
