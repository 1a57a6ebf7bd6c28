from django.apps import AppConfig


class Config(AppConfig):
    name = "parstat.catalog"
    label = "catalog"
