from django.apps import AppConfig


class Config(AppConfig):
    name = "parstat.console"
    label = "console"
