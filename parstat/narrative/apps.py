from django.apps import AppConfig


class Config(AppConfig):
    name = "parstat.narrative"
    label = "narrative"
