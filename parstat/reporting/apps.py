from django.apps import AppConfig


class Config(AppConfig):
    name = "parstat.reporting"
    label = "reporting"
