"""Security headers on every answer, /healthz, and Django's deployment check."""

from __future__ import annotations

import json
import subprocess

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

from parstat.api.tokens import create_token
from parstat.ops import health
from tests.ops_server import PARSTAT, server_env

PRODUCTION_SETTINGS = {  # the block docs/deploy.md asks for
    "PARSTAT_SECURE_COOKIES": "on", "PARSTAT_SSL_REDIRECT": "on",
    "PARSTAT_HSTS_INCLUDE_SUBDOMAINS": "on", "PARSTAT_HSTS_PRELOAD": "on",
    "PARSTAT_BEHIND_TLS_PROXY": "on", "PARSTAT_ALLOWED_HOSTS": "parstat.soctrang.gov.vn",
}


def test_it_sends_a_content_security_policy_without_unsafe_inline(sign_in):
    response = sign_in("reporter").get("/")
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self';" in policy and "style-src 'self';" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_it_forbids_caching_data_pages(sign_in, seed_report):
    client = sign_in("reporter")
    response = client.get(f"/reports/{seed_report.pk}/")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    download = client.get(f"/reports/{seed_report.pk}/download/csv/")
    assert download.status_code == 200
    assert download.headers["Cache-Control"] == "no-store"


def test_it_forbids_caching_api_answers(client, personas, seed_report):
    raw = create_token(personas["reporter"], "tests")[1]
    response = client.get(f"/api/v1/reports/{seed_report.pk}",
                          HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    refused = client.get(f"/api/v1/reports/{seed_report.pk}")
    assert refused.status_code == 401
    assert refused.headers["Cache-Control"] == "no-store"


def test_it_answers_healthz_when_the_database_is_migrated(client, db, monkeypatch):
    monkeypatch.setattr(health, "_migrations_seen_applied", False)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok", "database": "ok",
                                            "migrations": "applied"}


def test_it_answers_healthz_503_while_a_migration_is_pending(client, db, monkeypatch):
    monkeypatch.setattr(health, "_migrations_seen_applied", False)
    # The newest migration of an app, whichever it is now.
    [(app, newest)] = MigrationLoader(connection).graph.leaf_nodes("reporting")
    MigrationRecorder(connection).record_unapplied(app, newest)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert json.loads(response.content)["migrations"] == "pending"


def _settings_value(env: dict[str, str], name: str) -> str:
    code = f"import django; django.setup(); from django.conf import settings; print(settings.{name})"
    done = subprocess.run([PARSTAT[0], "-c", code], env={**env, "DJANGO_SETTINGS_MODULE":
                          "parstat.settings"}, check=True, capture_output=True, text=True)
    return done.stdout.strip()


def test_it_sends_hsts_only_when_cookies_are_secure(tmp_path):
    assert _settings_value(server_env(tmp_path), "SECURE_HSTS_SECONDS") == "0"
    secure = server_env(tmp_path, PARSTAT_SECURE_COOKIES="on")
    assert _settings_value(secure, "SECURE_HSTS_SECONDS") == "31536000"


def test_it_believes_x_forwarded_proto_only_when_told_tls_ends_at_the_proxy(tmp_path):
    assert _settings_value(server_env(tmp_path), "SECURE_PROXY_SSL_HEADER") == "None"
    behind = server_env(tmp_path, PARSTAT_BEHIND_TLS_PROXY="on")
    assert _settings_value(behind, "SECURE_PROXY_SSL_HEADER") == \
        "('HTTP_X_FORWARDED_PROTO', 'https')"


@pytest.mark.parametrize("production", [True, False])
def test_it_passes_the_deployment_check_with_the_documented_settings(tmp_path, production):
    env = server_env(tmp_path, **(PRODUCTION_SETTINGS if production else {}))
    done = subprocess.run([*PARSTAT, "django-check", "--deploy", "--fail-level", "WARNING"],
                          env=env, capture_output=True, text=True)
    if production:
        assert done.returncode == 0, done.stderr
        assert "System check identified no issues" in done.stdout
    else:
        assert done.returncode == 1
        assert "security.W004" in done.stderr and "security.W012" in done.stderr


def test_it_has_no_inline_event_handler_in_any_template_or_page_builder():
    # The CSP (script-src 'self') blocks them silently: the province page's scope choice once
    # did nothing. Behaviour goes in the static scripts (data-… hooks), never in attributes.
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent / "parstat"
    handler = re.compile(r"""\son[a-z]+\s*=\s*["']""")
    found = [f"{path.relative_to(root)}:{number}"
             for path in [*root.rglob("*.html"), *root.rglob("*.py")]
             for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if handler.search(line)]
    assert found == []
