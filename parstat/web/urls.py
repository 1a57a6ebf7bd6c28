from django.urls import path

from parstat.web import views

app_name = "web"
urlpatterns = [
    path("", views.report_list, name="report_list"),
    path("reports/<int:pk>/", views.report_detail, name="report_detail"),
]
