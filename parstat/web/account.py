"""A person's own page (name, roles, password), choosing a first password from an e-mailed
link, and the administrator's bulk pages for the unit registry and the people of a province."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any, cast

from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, user_passes_test
from django.contrib.auth.forms import PasswordChangeForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from parstat.accounts.bulk import import_users
from parstat.accounts.models import Membership
from parstat.catalog.workbook import import_template
from parstat.errors import ParstatError
from parstat.http_status import status_for
from parstat.units.bulk import import_units
from parstat.web.access import web_actor

# A registry file waits in the (database-backed) session between preview and apply: it is
# small, and any app process can then apply it.
MAX_REGISTRY_FILE = 2 * 1024 * 1024
REGISTRY_KINDS: dict[str, Callable[..., Any]] = {
    "units": import_units, "users": import_users, "templates": import_template}


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    form = PasswordChangeForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)  # stay signed in with the new password
        messages.success(request, _("Đã đổi mật khẩu."))
        return redirect("web:profile")
    roles = (Membership.objects.filter(user=cast(Any, request.user)).select_related("unit")
             .order_by("unit__code", "role"))
    return render(request, "web/profile.html", {"form": form, "roles": roles},
                  status=400 if form.errors else 200)


class PasswordSetView(auth_views.PasswordResetConfirmView):
    """The link a new account is sent (parstat users import): choose a password, then sign in."""

    template_name = "web/password_set.html"
    success_url = reverse_lazy("web:login")

    def form_valid(self, form: Any) -> HttpResponse:
        messages.success(self.request, _("Đã đặt mật khẩu. Hãy đăng nhập."))
        return super().form_valid(form)


def _is_admin(user: Any) -> bool:
    return bool(user.is_authenticated and user.is_superuser)


@user_passes_test(_is_admin)
def registry_import(request: HttpRequest, kind: str) -> HttpResponse:
    """Upload a units, people or template file, see what it would do (a dry run), then apply
    (for a template: publish) that very file."""
    if kind not in REGISTRY_KINDS:
        return HttpResponse(status=404)
    context: dict[str, Any] = {"kind": kind}
    if request.method == "POST":
        upload = request.FILES.get("file")
        held = request.session.get(f"registry_{kind}")
        if upload is not None:
            data, name = upload.read(MAX_REGISTRY_FILE + 1), upload.name or "tep"
            if len(data) > MAX_REGISTRY_FILE:
                messages.error(request, _("Tệp quá lớn (tối đa 2 MB)."))
                return render(request, "web/registry_import.html", context, status=400)
            request.session[f"registry_{kind}"] = {
                "name": name, "data": base64.b64encode(data).decode("ascii"),
                "sha256": hashlib.sha256(data).hexdigest()}
            apply = False
        elif held and request.POST.get("sha256") == held["sha256"]:
            data, name, apply = base64.b64decode(held["data"]), held["name"], True
        else:
            messages.error(request, _("Hãy chọn tệp."))
            return render(request, "web/registry_import.html", context, status=400)
        try:
            result = REGISTRY_KINDS[kind](data, name, acting_user=web_actor(request),
                                          dry_run=not apply)
        except ParstatError as error:
            messages.error(request, error.localized)
            return render(request, "web/registry_import.html", context,
                          status=status_for(error.code))
        if result.applied:
            request.session.pop(f"registry_{kind}", None)
            messages.success(request, _("Đã áp dụng tệp %(name)s.") % {"name": name})
        context.update(result=result.as_dict(), sha256=hashlib.sha256(data).hexdigest())
        return render(request, "web/registry_import.html", context,
                      status=422 if result.refused else 200)
    return render(request, "web/registry_import.html", context)
