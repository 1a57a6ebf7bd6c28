"""Personal API tokens: hashed, shown once, revocable, the user's own rights; the CLI command."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from parstat.accounts.models import ApiToken, hash_token
from parstat.api.tokens import create_token, revoke_token
from parstat.errors import ParstatError
from tests.test_api_helpers import *  # noqa: F403 (fixtures)
from tests.test_api_helpers import API, ApiClient

pytestmark = pytest.mark.django_db


def test_a_token_is_stored_only_as_its_hash(alice):
    token, raw = create_token(alice, "  báo cáo   quý  ")
    assert raw.startswith("pst_") and len(raw) > 40
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.key_hash == hash_token(raw) and raw not in stored.key_hash
    assert stored.prefix == raw[:12] and stored.name == "báo cáo quý"
    assert not ApiToken.objects.filter(key_hash=raw).exists()


def test_a_token_acts_as_its_user_and_records_its_use(api, personas):
    before = ApiToken.objects.get(user=personas["approver"]).last_used_at
    response = api["approver"].get("/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "approver" and body["administrator"] is False
    assert body["roles"] == [{"unit": "ST-SKHDT", "unit_name": "Sở Kế hoạch và Đầu tư tỉnh Sóc "
                                                               "Trăng", "role": "approver"}]
    assert before is None
    assert ApiToken.objects.get(user=personas["approver"]).last_used_at is not None


def test_anonymous_requests_are_refused_with_a_bearer_challenge(api):
    response = api["anonymous"].get("/reports")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    body = response.json()
    assert body["code"] == "auth.required" and "Authorization: Bearer" in body["message"]


@pytest.mark.parametrize("header", ["Bearer pst_not-a-real-token", "Bearer ", "Token abc",
                                    "Basic YWxpY2U6YWxpY2U=", "Bearer " + "x" * 5000])
def test_bad_credentials_are_refused(api, header):
    response = Client().get(f"{API}/reports", headers={"Authorization": header})
    assert response.status_code == 401
    assert response.json()["code"] in {"auth.required", "auth.token_invalid"}


def test_a_revoked_token_is_refused(api, personas):
    response = api["revoked"].get("/me")
    assert response.status_code == 401 and response.json()["code"] == "auth.token_revoked"
    # the other token of the same user still works
    assert api["reporter"].get("/me").status_code == 200


def test_a_token_of_a_deactivated_user_is_refused(api, personas):
    personas["viewer"].is_active = False
    personas["viewer"].save()
    response = api["viewer"].get("/me")
    assert response.status_code == 401 and response.json()["code"] == "auth.token_invalid"


def test_a_signed_in_browser_session_is_not_an_api_credential(personas):
    client = Client()
    client.force_login(personas["reporter"])
    assert client.get(f"{API}/reports").status_code == 401


def test_messages_follow_accept_language(personas):
    assert "required" in ApiClient(None, "en").get("/me").json()["message"]
    assert "Cần mã" in ApiClient(None, "vi,en;q=0.8").get("/me").json()["message"]
    assert "required" in ApiClient(None, "en-US,en;q=0.9,vi;q=0.5").get("/me").json()["message"]
    assert "Cần mã" in ApiClient(None, "fr").get("/me").json()["message"]


def test_only_the_owner_or_an_administrator_revokes(personas):
    token, _raw = create_token(personas["reporter"], "x")
    with pytest.raises(ParstatError) as refused:
        revoke_token(token, by=personas["approver"])
    assert refused.value.code == "token.not_yours"
    first = revoke_token(token, by=personas["admin"]).revoked_at
    assert first is not None
    assert revoke_token(token, by=personas["reporter"]).revoked_at == first  # idempotent


def test_the_token_command_creates_lists_and_revokes(personas):
    out, err = io.StringIO(), io.StringIO()
    call_command("token", "create", "reporter", "--name", "script", stdout=out, stderr=err)
    raw = out.getvalue().strip()
    assert raw.startswith("pst_") and "chỉ hiện một lần" in err.getvalue()
    assert ApiClient(raw).get("/me").json()["username"] == "reporter"

    listing = io.StringIO()
    call_command("token", "list", "reporter", stdout=listing)
    assert raw[:12] in listing.getvalue() and raw not in listing.getvalue()

    call_command("token", "revoke", raw[:12], stdout=io.StringIO())
    assert ApiClient(raw).get("/me").json()["code"] == "auth.token_revoked"
    with pytest.raises(CommandError):
        call_command("token", "create", "nobody")
    with pytest.raises(CommandError):
        call_command("token", "revoke", "pst_")  # too short to name one token
