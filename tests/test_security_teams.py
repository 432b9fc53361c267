"""Teams: off unless configured, loopback-only emulator mode, and every bad token a 401 (issue 10, case 2).

Real Bot Framework activities over HTTP into the real app; a local Bot Connector stand-in
records anything the bot sends, and a local stand-in serves Microsoft's OpenID keys.
"""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
import time
from dataclasses import replace

import jwt
import pytest

from adapters.server import create_app
from support_openid import APP_ID, ISSUER, FakeMicrosoftKeys
from support_store import settings_for
from support_teams import activity, card_text, connector, post_activity as post  # noqa: F401  (connector: fixture)

HR_AAD = "00000000-0000-4000-8000-0000000000hr"


@pytest.fixture
async def keys():
    keys = FakeMicrosoftKeys()
    await keys.start()
    yield keys
    keys.hang = False
    await keys.close()


async def test_without_an_app_id_teams_is_off(aiohttp_client, assistant, tmp_path, connector):
    app = create_app(assistant, settings_for(tmp_path))
    client = await aiohttp_client(app)
    resp = await post(client, activity("Can I post about my pay?", service_url=connector.url))
    assert resp.status == 503 and "MicrosoftAppId" in (await resp.json())["error"]
    await asyncio.sleep(0.2)
    assert connector.received == []


def test_the_teams_sdk_is_not_imported_unless_teams_is_configured(tmp_path):
    code = (
        "import sys; from adapters.server import create_app; from support_store import settings_for; "
        f"create_app(settings=settings_for(__import__('pathlib').Path({str(tmp_path)!r}))); "
        "print(sorted(m for m in sys.modules if m.startswith(('botbuilder', 'botframework'))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd="tests")
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.fixture
async def emulator(aiohttp_client, assistant, tmp_path):
    settings = replace(settings_for(tmp_path), teams_emulator=True, hr_teams_users=(HR_AAD,))
    return await aiohttp_client(create_app(assistant, settings))


@pytest.mark.parametrize(
    "service_url",
    ["https://attacker.example/", "http://10.0.0.5:3978/", "http://127.0.0.1.attacker.example/", "file:///etc/passwd", "", None, 7],
)
async def test_emulator_mode_answers_only_a_loopback_service_url(emulator, connector, service_url):
    body = activity("Can I post about my pay?", service_url=connector.url)
    body["serviceUrl"] = service_url
    resp = await post(emulator, body)
    assert resp.status in (400, 403)
    await asyncio.sleep(0.2)
    assert connector.received == []


async def test_emulator_mode_answers_the_local_emulator(emulator, connector):
    resp = await post(emulator, activity("Can I sign up for LinkedIn with my city email?", service_url=connector.url))
    assert resp.status in (200, 201)
    [reply] = await connector.wait_for(1)
    assert "3.3.4" in card_text(reply["attachments"][0]["content"])


async def test_emulator_mode_never_trusts_a_claimed_hr_identity(emulator, connector):
    await post(emulator, activity("announce 3.3.4", service_url=connector.url, aad=HR_AAD))
    [reply] = await connector.wait_for(1)
    text = reply.get("text") or card_text(reply["attachments"][0]["content"])
    assert "only you can see" not in text.lower() and "3.3.4" not in text


@pytest.fixture
async def authenticated(aiohttp_client, assistant, tmp_path, keys):
    settings = replace(
        settings_for(tmp_path), microsoft_app_id=APP_ID, microsoft_app_password="not-a-real-secret",
        teams_openid_metadata_url=keys.metadata_url,
    )
    return await aiohttp_client(create_app(assistant, settings))


def _forged_tokens(keys: FakeMicrosoftKeys, service_url: str) -> dict[str, str]:
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": APP_ID, "nbf": now - 60, "exp": now + 600, "serviceurl": service_url}
    return {
        "alg-none": jwt.encode(claims, None, algorithm="none"),
        "hs256": jwt.encode(claims, "a-guessable-shared-secret-of-32-bytes!", algorithm="HS256", headers={"kid": "policybot-test-key"}),
        "expired": keys.token(service_url=service_url, expires_in=-3600),
        "wrong-audience": keys.token(service_url=service_url, audience="99999999-0000-4000-8000-000000000000"),
        "wrong-issuer": keys.token(service_url=service_url, iss="https://attacker.example"),
        "unknown-key": keys.token(service_url=service_url, kid="someone-elses-key"),
        "other-signer": jwt.encode(claims, FakeMicrosoftKeys().key, algorithm="RS256", headers={"kid": "policybot-test-key"}),
        "not-a-jwt": "not.a.token",
        "garbage": "x" * 5000,
    }


async def test_every_forged_token_is_401(authenticated, connector, keys, caplog):
    for name, token in _forged_tokens(keys, connector.url).items():
        resp = await post(authenticated, activity("Can I post about my pay?", service_url=connector.url), Authorization=f"Bearer {token}")
        assert resp.status == 401, name
    for header in ("", "Bearer", "Basic abc", "Bearer  "):
        resp = await post(authenticated, activity("Can I post about my pay?", service_url=connector.url), Authorization=header)
        assert resp.status == 401, header
    await asyncio.sleep(0.2)
    assert connector.received == []
    assert "Traceback" not in caplog.text


async def test_a_genuine_token_passes_the_same_check(authenticated, connector, keys):
    """The check that refuses the forgeries accepts a token signed with Microsoft's (stand-in) key."""
    from adapters.teams.routes import ADAPTER
    from botbuilder.schema import Activity

    adapter = authenticated.server.app[ADAPTER]
    body = activity("hi", service_url=connector.url)
    result = await adapter.bot_framework_authentication.authenticate_request(
        Activity().deserialize(body), f"Bearer {keys.token(service_url=connector.url)}"
    )
    assert result.claims_identity.is_authenticated and result.claims_identity.claims["aud"] == APP_ID


async def test_bad_tokens_are_401_when_microsoft_cannot_be_reached(aiohttp_client, assistant, tmp_path, connector, keys):
    settings = replace(
        settings_for(tmp_path), microsoft_app_id=APP_ID, microsoft_app_password="x", teams_openid_metadata_url="http://127.0.0.1:9/nothing"
    )
    client = await aiohttp_client(create_app(assistant, settings))
    for name, token in _forged_tokens(keys, connector.url).items():
        resp = await post(client, activity("pay?", service_url=connector.url), Authorization=f"Bearer {token}")
        assert resp.status == 401, name
    assert connector.received == []


async def test_a_hung_microsoft_endpoint_stalls_nothing_else(authenticated, connector, keys, monkeypatch):
    from adapters.teams import openid

    monkeypatch.setattr(openid, "TIMEOUT_S", 2.0)
    keys.hang = True
    token = keys.token(service_url=connector.url)
    started = time.monotonic()
    pending = asyncio.ensure_future(post(authenticated, activity("pay?", service_url=connector.url), Authorization=f"Bearer {token}"))
    await asyncio.sleep(0.3)  # the token check is now waiting for the hung endpoint
    for _ in range(5):
        t0 = time.monotonic()
        assert (await authenticated.get("/healthz")).status == 200
        assert time.monotonic() - t0 < 0.5
    resp = await pending
    assert keys.requests >= 1  # the check really was waiting on the stand-in
    assert resp.status == 401 and time.monotonic() - started < 2.0 + 3.0  # refused once the fetch timed out
    # Later bad requests do not wait again: the failed fetch is not retried at once.
    t0 = time.monotonic()
    resp = await post(authenticated, activity("pay?", service_url=connector.url), Authorization=f"Bearer {token}")
    assert resp.status == 401 and time.monotonic() - t0 < 1.0
    assert connector.received == []


@pytest.mark.parametrize(
    "body",
    [
        {"type": "message", "from": "not-an-object", "serviceUrl": "http://127.0.0.1:1/"},
        {"type": "message", "conversation": [1, 2], "serviceUrl": "http://127.0.0.1:1/"},
        {"type": "message", "timestamp": "yesterday", "serviceUrl": "http://127.0.0.1:1/"},
        {"type": "message", "entities": "x", "serviceUrl": "http://127.0.0.1:1/"},
        {"type": 5},
        {"type": ""},
    ],
)
async def test_malformed_activities_are_4xx_before_authentication(authenticated, body):
    resp = await post(authenticated, body)
    assert 400 <= resp.status < 500


@pytest.mark.parametrize("conversation_type", ["channel", "groupChat"])
async def test_an_hr_announce_draft_asked_in_a_channel_goes_to_the_hr_person_privately(aiohttp_client, assistant, tmp_path, connector, conversation_type):
    """HR identity as an authenticated activity would carry it (the bot is given the HR list directly:
    emulator mode itself never trusts one), over real HTTP to the local connector."""
    from adapters.appkeys import ASSISTANT, STORE
    from adapters.teams.bot import PolicyBot
    from adapters.teams.routes import BOT

    app = create_app(assistant, replace(settings_for(tmp_path), teams_emulator=True))
    app[BOT] = PolicyBot(app[ASSISTANT], replace(settings_for(tmp_path), hr_teams_users=(HR_AAD,)), app.get(STORE))
    client = await aiohttp_client(app)
    resp = await post(client, activity("announce 3.3.4", service_url=connector.url, conversation_type=conversation_type, aad=HR_AAD, mention=True))
    assert resp.status in (200, 201)
    messages = await connector.wait_for(2)
    [created] = connector.created
    assert created["members"][0]["aadObjectId"] == HR_AAD and created["isGroup"] is False
    in_channel = [m for m in messages if "private" not in m["_path"]]
    in_private = [m for m in messages if "a:private-1" in m["_path"]]
    assert len(in_private) == 1 and "3.3.4" in json.dumps(in_private[0]["attachments"])
    assert len(in_channel) == 1 and not in_channel[0].get("attachments")
    assert "private chat" in in_channel[0]["text"]


async def test_an_hr_announce_draft_in_a_personal_chat_is_the_reply(aiohttp_client, assistant, tmp_path, connector):
    from adapters.appkeys import ASSISTANT, STORE
    from adapters.teams.bot import PolicyBot
    from adapters.teams.routes import BOT

    app = create_app(assistant, replace(settings_for(tmp_path), teams_emulator=True))
    app[BOT] = PolicyBot(app[ASSISTANT], replace(settings_for(tmp_path), hr_teams_users=(HR_AAD,)), app.get(STORE))
    client = await aiohttp_client(app)
    await post(client, activity("announce 3.3.4", service_url=connector.url, aad=HR_AAD))
    [draft] = await connector.wait_for(1)
    assert connector.created == [] and draft["attachments"] and "a:conv-personal" in draft["_path"]


async def test_emulator_mode_refuses_activities_from_another_machine(aiohttp_client, assistant, tmp_path, connector, monkeypatch):
    """Anyone reaching the port could otherwise make the server post to its own loopback ports."""
    from adapters.teams import routes

    client = await aiohttp_client(create_app(assistant, replace(settings_for(tmp_path), teams_emulator=True)))
    monkeypatch.setattr(routes, "_from_this_machine", lambda request: False)  # as if from 192.0.2.2
    resp = await post(client, activity("Can I sign up for LinkedIn with my city email?", service_url=connector.url))
    assert resp.status == 403 and connector.received == []


@pytest.mark.parametrize(("peer", "local"), [("127.0.0.1", True), ("::1", True), ("192.0.2.2", False), ("10.0.0.5", False)])
def test_only_loopback_peers_count_as_this_machine(peer, local):
    from unittest.mock import Mock

    from aiohttp.test_utils import make_mocked_request

    from adapters.teams.routes import _from_this_machine

    transport = Mock()
    transport.get_extra_info = lambda name, default=None: (peer, 3978) if name == "peername" else default
    assert _from_this_machine(make_mocked_request("POST", "/api/messages", transport=transport)) is local
