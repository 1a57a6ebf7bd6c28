from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic import RedirectView

from parstat.narrative import province_views as province
from parstat.narrative import views as narrative
from parstat.province import national_views
from parstat.province import views as province_report
from parstat.web import account, auth, consolidation, files, tokens, views


class FaviconRedirect(RedirectView):
    """To the icon's current name: content-hashed once `parstat init` collected the assets, so
    it is looked up per request, not once when the URLs load."""

    def get_redirect_url(self, *args: object, **kwargs: object) -> str:
        return static("web/favicon.svg")


app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    # Browsers ask for /favicon.ico whatever the page says: point them at the site's icon.
    path("favicon.ico", FaviconRedirect.as_view(permanent=True)),
    path("dang-nhap/", auth.SignInView.as_view(), name="login"),
    path("dang-xuat/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("reports/", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
    path("reports/<int:pk>/lich-su/", views.report_history_page, name="report_history"),
    path("reports/<int:pk>/save/", views.save_report, name="save_report"),
    path("reports/<int:pk>/cell/", views.save_cell, name="save_cell"),
    path("reports/<int:pk>/do/<str:action>/", views.transition, name="transition"),
    path("reports/<int:pk>/upload/", files.upload, name="upload"),
    path("reports/<int:pk>/upload/apply/", files.upload_apply, name="upload_apply"),
    path("reports/<int:pk>/download/<str:fmt>/", files.download, name="download"),
    path("reports/<int:pk>/bao-cao/", narrative.narrative_page, name="narrative"),
    path("reports/<int:pk>/bao-cao/luu/", narrative.save_part, name="narrative_save"),
    path("reports/<int:pk>/bao-cao/gui/", narrative.submit, name="narrative_submit"),
    path("reports/<int:pk>/bao-cao/tai/<str:fmt>/", narrative.download,
         name="narrative_download"),
    path("units/<str:unit>/periods/<str:period>/start/", views.start_report, name="start_report"),
    path("tai-khoan/", account.profile, name="profile"),
    path("tai-khoan/dat-mat-khau/<uidb64>/<token>/", account.PasswordSetView.as_view(),
         name="password_set"),
    path("quan-tri/nhap/<str:kind>/", account.registry_import, name="registry_import"),
    path("tai-khoan/ma-api/", tokens.token_list, name="tokens"),
    path("tai-khoan/ma-api/tao/", tokens.token_create, name="token_create"),
    path("tai-khoan/ma-api/<int:pk>/thu-hoi/", tokens.token_revoke, name="token_revoke"),
    path("periods/", consolidation.period_list, name="period_list"),
    path("periods/<str:code>/", consolidation.period_detail, name="period_detail"),
    path("periods/<str:code>/bao-cao-tinh/<str:unit>/", province.province_page,
         name="province_narrative"),
    path("periods/<str:code>/bao-cao-tinh/<str:unit>/luu/", province.province_save,
         name="province_narrative_save"),
    path("periods/<str:code>/bao-cao-tinh/<str:unit>/tao-ban-nhap/", province.province_start,
         name="province_narrative_start"),
    path("periods/<str:code>/bao-cao-tinh/<str:unit>/buoc/<str:step>/", province_report.province_step,
         name="province_step"),
    path("periods/<str:code>/bao-cao-tinh/<str:unit>/chuyen-len/", province_report.province_deliver,
         name="province_deliver"),
    path("periods/<str:code>/bao-cao-tinh/<str:unit>/van-ban.<str:fmt>", province_report.province_document_view,
         name="province_document"),
    path("quoc-gia/<str:period>/", national_views.national_page, name="national"),
    path("periods/<str:code>/bao-cao-tinh/<str:unit>/goi-so-lieu/",
         national_views.package_download, name="province_package"),
]
