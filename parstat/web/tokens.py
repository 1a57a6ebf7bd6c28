"""The person's own API tokens: made here (shown once), listed, revoked."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from parstat.accounts.models import ApiToken
from parstat.api.tokens import create_token, revoke_token


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    fresh = request.session.pop("new_api_token", None)  # shown once, never stored in clear
    tokens = ApiToken.objects.filter(user=cast(Any, request.user)).order_by("-created_at")
    return render(request, "web/tokens.html", {"tokens": tokens, "fresh": fresh})


@login_required
@require_POST
def token_create(request: HttpRequest) -> HttpResponse:
    _token, raw = create_token(request.user, request.POST.get("name", ""))
    request.session["new_api_token"] = raw
    return redirect("web:tokens")


@login_required
@require_POST
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = ApiToken.objects.filter(pk=pk, user=cast(Any, request.user)).first()
    if token is None:
        raise Http404("Không có mã này")
    revoke_token(token, by=request.user)
    messages.success(request, _("Đã thu hồi mã %(prefix)s….") % {"prefix": token.prefix})
    return redirect("web:tokens")
