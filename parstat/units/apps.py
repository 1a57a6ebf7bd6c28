from django.apps import AppConfig


class Config(AppConfig):
    name = "parstat.units"
    label = "units"
