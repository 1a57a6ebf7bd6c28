"""Sign-in with failed attempts slowed down; sign-out.

The entry form signs in again without leaving the page (its dialog, after a save answered 401):
it asks with ``Accept: application/json`` and gets JSON instead of a page. ``GET`` answers
``{"signed_in", "csrf"}`` (and sets the CSRF cookie, which may have gone with the session);
``POST`` answers 200 ``{"signed_in": true, "csrf"}`` with the token of the new session
(signing in rotates it), 400 ``{"signed_in": false, "message"}`` for a wrong password, or 429
while failed attempts are being slowed down.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.middleware.csrf import get_token
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from parstat.accounts.signin import begin_attempt, client_ip, record_failure, record_success


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


class SignInView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if wants_json(request) and request.method == "GET":
            answer = JsonResponse({"signed_in": request.user.is_authenticated,
                                   "csrf": get_token(request)})
            add_never_cache_headers(answer)
            return answer
        return super().dispatch(request, *args, **kwargs)

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        username = request.POST.get("username", "")
        wait = begin_attempt(username, client_ip(request))
        if wait:
            # The password is not even checked while the wait lasts.
            throttled = _("Đăng nhập sai nhiều lần. Hãy thử lại sau %(seconds)d giây.") % {
                "seconds": wait}
            if wants_json(request):
                response: HttpResponse = JsonResponse({"signed_in": False, "message": throttled},
                                                      status=429)
            else:
                form = AuthenticationForm(request, initial={"username": username})
                response = self.render_to_response(self.get_context_data(form=form,
                                                                         throttled=throttled))
                response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        record_failure(self.request.POST.get("username", ""), client_ip(self.request))
        if wants_json(self.request):
            return JsonResponse({"signed_in": False,
                                 "message": _("Tên đăng nhập hoặc mật khẩu không đúng.")},
                                status=400)
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        record_success(self.request.POST.get("username", ""), client_ip(self.request))
        response = super().form_valid(form)
        if wants_json(self.request):
            return JsonResponse({"signed_in": True, "csrf": get_token(self.request)})
        return response
