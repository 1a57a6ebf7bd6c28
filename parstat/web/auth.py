"""Sign-in with failed attempts slowed down; sign-out."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from parstat.accounts.signin import begin_attempt, client_ip, record_failure, record_success


class SignInView(auth_views.LoginView):
    template_name = "web/login.html"
    redirect_authenticated_user = True

    def post(self, request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
        username = request.POST.get("username", "")
        wait = begin_attempt(username, client_ip(request))
        if wait:
            # The password is not even checked while the wait lasts.
            form = AuthenticationForm(request, initial={"username": username})
            response = self.render_to_response(self.get_context_data(
                form=form, throttled=_("Đăng nhập sai nhiều lần. Hãy thử lại sau %(seconds)d giây.")
                % {"seconds": wait}))
            response.status_code = 429
            response["Retry-After"] = str(wait)
            return response
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        record_failure(self.request.POST.get("username", ""), client_ip(self.request))
        return super().form_invalid(form)

    def form_valid(self, form: AuthenticationForm) -> HttpResponse:
        record_success(self.request.POST.get("username", ""), client_ip(self.request))
        return super().form_valid(form)
