from django.apps import AppConfig


class Config(AppConfig):
    name = "parstat.analytics"
    label = "analytics"
