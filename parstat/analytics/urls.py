from django.urls import path

from parstat.analytics import views

app_name = "analytics"
urlpatterns = [
    path("", views.consolidated, name="consolidated"),
    path("nop-bao-cao/", views.completeness, name="completeness"),
    path("phan-tich/", views.series_page, name="series"),
    path("chat-luong/", views.quality, name="quality"),
    path("bang-xoay/", views.pivot, name="pivot"),
    path("tai-ve/", views.download, name="download"),
]
