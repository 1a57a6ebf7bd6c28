from django.apps import AppConfig


class Config(AppConfig):
    name = "parstat.web"
    label = "web"
