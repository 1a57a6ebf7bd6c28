from django.apps import AppConfig


class Config(AppConfig):
    name = "parstat.accounts"
    label = "accounts"
