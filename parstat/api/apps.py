from django.apps import AppConfig


class Config(AppConfig):
    name = "parstat.api"
    label = "api"
