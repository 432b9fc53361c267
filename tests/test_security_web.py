"""The public web surfaces: off beyond loopback unless opened, same-origin posts, CSRF, rate limit,
pages that never publish the asker's words as a headline, security headers, malformed bodies 4xx
(issue 10, cases 3, 4 and 6). Real HTTP into the real app on a real SQLite file."""

from __future__ import annotations

import asyncio
import gzip
import logging
from dataclasses import replace

import pytest
from aiohttp import web

from adapters.server import create_app
from support_store import BASE_URL, settings_for
from support_web import csrf_token, post_form
from test_pages import Page

LINKEDIN = "Can I sign up for LinkedIn with my City email?"
NOTICE = "OFFICIAL NOTICE: all employees must re-enter their City password and their badge number at https://monroe-login.example before Friday"


@pytest.fixture
async def client(aiohttp_client, assistant, tmp_path):
    return await aiohttp_client(create_app(assistant, settings_for(tmp_path)))


async def make(aiohttp_client, assistant, tmp_path, **overrides):
    return await aiohttp_client(create_app(assistant, replace(settings_for(tmp_path), **overrides)))


# --- on only where it should be -----------------------------------------------------------


async def test_beyond_loopback_the_chat_page_and_api_are_off_by_default(aiohttp_client, assistant, tmp_path):
    client = await make(aiohttp_client, assistant, tmp_path, host="0.0.0.0")
    assert (await client.get("/")).status == 404
    assert (await client.post("/api/ask", json={"question": LINKEDIN})).status == 404
    assert (await client.post("/api/disclaimer", json={})).status == 404
    assert (await client.post("/a/AAAAAAAAAAA/ask-again")).status == 404
    assert (await client.get("/policy/026")).status == 200  # the policy and answer links stay readable
    assert (await client.get("/healthz")).status == 200


async def test_a_setting_opens_them_beyond_loopback(aiohttp_client, assistant, tmp_path):
    client = await make(aiohttp_client, assistant, tmp_path, host="0.0.0.0", public_chat=True)
    assert (await client.get("/")).status == 200
    assert (await client.post("/api/ask", json={"question": LINKEDIN})).status == 200


async def test_a_setting_closes_them_on_loopback_too(aiohttp_client, assistant, tmp_path):
    client = await make(aiohttp_client, assistant, tmp_path, public_chat=False)
    assert (await client.get("/")).status == 404


# --- same origin, JSON only as JSON, CSRF -----------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [{"Origin": "https://evil.example"}, {"Origin": "null"}, {"Sec-Fetch-Site": "cross-site"}, {"Sec-Fetch-Site": "same-site"},
     {"Origin": "https://policy.monroe.test.evil.example"}],
)
async def test_cross_site_posts_are_refused(client, headers):
    answer_id = (await (await client.post("/api/ask", json={"question": LINKEDIN})).json())["id"]
    before = await _count(client)
    for path in ("/api/ask", "/api/disclaimer"):
        resp = await client.post(path, json={"question": LINKEDIN}, headers=headers)
        assert resp.status == 403 and (await resp.json())["error"]
    resp = await post_form(client, "/", {"question": LINKEDIN}, headers=headers)
    assert resp.status == 403
    resp = await client.post(f"/a/{answer_id}/ask-again", headers=headers, allow_redirects=False)
    assert resp.status == 403 and (await resp.json())["error"] == "Cross-site requests are not accepted."
    assert await _count(client) == before  # nothing reached HR's report


async def test_ask_again_which_carries_no_token_needs_the_browser_to_say_it_is_this_site(client):
    """The answer page is cached and shared, so its Ask again button has no CSRF token: a POST that
    says nothing of where it comes from (a browser too old to send Origin) is refused, nothing written."""
    answer_id = (await (await client.post("/api/ask", json={"question": LINKEDIN})).json())["id"]
    before = await _count(client)
    resp = await client.post(f"/a/{answer_id}/ask-again", allow_redirects=False)
    assert resp.status == 403 and (await resp.json())["error"]
    assert await _count(client) == before
    for headers in ({"Origin": BASE_URL}, {"Sec-Fetch-Site": "same-origin"}, {"Origin": BASE_URL, "Sec-Fetch-Site": "same-origin"}):
        resp = await client.post(f"/a/{answer_id}/ask-again", headers=headers, allow_redirects=False)
        assert resp.status == 303 and resp.headers["Location"].startswith("/a/")
    assert await _count(client) == before + 3


async def test_same_origin_posts_are_answered(client):
    for origin in (BASE_URL, str(client.make_url("/")).rstrip("/")):
        resp = await client.post("/api/ask", json={"question": LINKEDIN}, headers={"Origin": origin, "Sec-Fetch-Site": "same-origin"})
        assert resp.status == 200


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json-patch+json"])
async def test_the_api_takes_json_only_as_application_json(client, content_type):
    resp = await client.post("/api/ask", data=b'{"question": "Can I post about my pay?"}', headers={"Content-Type": content_type})
    assert resp.status == 415


async def test_forms_need_the_pages_csrf_token(client):
    resp = await client.post("/", data={"question": LINKEDIN})
    assert resp.status == 403
    await csrf_token(client)  # the cookie, without sending the token back
    assert (await client.post("/", data={"question": LINKEDIN, "csrf": "forged-token-forged-token"})).status == 403
    assert (await client.post("/disclaimer", data={"kind": "post"})).status == 403
    assert (await post_form(client, "/", {"question": LINKEDIN})).status == 200


async def test_the_csrf_cookie_is_strict_and_http_only(client):
    resp = await client.get("/")
    cookie = resp.cookies["policybot_csrf"]
    assert cookie["httponly"] and cookie["samesite"] == "Strict" and cookie["path"] == "/"


# --- rate limit ---------------------------------------------------------------------------


async def test_a_client_over_its_rate_gets_429_with_retry_after(aiohttp_client, assistant, tmp_path):
    client = await make(aiohttp_client, assistant, tmp_path, rate_limit_per_minute=3)
    statuses = [(await client.post("/api/ask", json={"question": LINKEDIN})).status for _ in range(3)]
    assert statuses == [200, 200, 200]
    resp = await client.post("/api/ask", json={"question": LINKEDIN})
    assert resp.status == 429 and 1 <= int(resp.headers["Retry-After"]) <= 20
    assert (await resp.json())["error"]
    # X-Forwarded-For is the client's to invent: ignored unless the proxy is trusted.
    assert (await client.post("/api/ask", json={"question": LINKEDIN}, headers={"X-Forwarded-For": "10.9.9.9"})).status == 429


async def test_behind_a_trusted_proxy_each_employee_has_their_own_rate(aiohttp_client, assistant, tmp_path):
    client = await make(aiohttp_client, assistant, tmp_path, rate_limit_per_minute=2, trust_proxy=True)
    for _ in range(2):
        assert (await client.post("/api/ask", json={"question": LINKEDIN}, headers={"X-Forwarded-For": "10.0.0.1"})).status == 200
    assert (await client.post("/api/ask", json={"question": LINKEDIN}, headers={"X-Forwarded-For": "10.0.0.1"})).status == 429
    # A spoofed first entry does not escape the limit: the proxy's own (last) entry counts.
    assert (await client.post("/api/ask", json={"question": LINKEDIN}, headers={"X-Forwarded-For": "1.2.3.4, 10.0.0.1"})).status == 429
    assert (await client.post("/api/ask", json={"question": LINKEDIN}, headers={"X-Forwarded-For": "10.0.0.2"})).status == 200


def test_the_bucket_refills_with_time():
    from adapters.web.guard import RateLimiter

    now = [0.0]
    limiter = RateLimiter(6, clock=lambda: now[0])
    assert [limiter.retry_after("a") for _ in range(6)] == [0] * 6
    assert limiter.retry_after("a") == 10  # one more every 10 s
    now[0] += 10
    assert limiter.retry_after("a") == 0 and limiter.retry_after("b") == 0


# --- nobody publishes under the City's banner ------------------------------------------------


async def test_an_answer_page_headline_is_the_policys_not_the_askers(client):
    data = await (await client.post("/api/ask", json={"question": NOTICE})).json()
    html = await (await client.get(f"/a/{data['id']}")).text()
    page = Page(html)
    title = html.split("<title>")[1].split("</title>")[0]
    h1 = html.split("<h1>")[1].split("</h1>")[0]
    for headline in (title, h1, page.meta["og:title"], page.meta["description"], page.meta["og:description"]):
        assert "OFFICIAL" not in headline and "password" not in headline
    assert "Policy" in title
    asked = html.split('<p class="asked">')[1].split("</p>")[0]
    assert "not a City statement" in asked and "<q>OFFICIAL NOTICE" in asked
    assert "monroe-login.example before Friday" not in asked  # shortened
    assert "<a " not in asked  # never a link


# --- headers ------------------------------------------------------------------------------


async def test_html_pages_cannot_be_framed_and_say_no_version(client):
    data = await (await client.post("/api/ask", json={"question": LINKEDIN})).json()
    for path in ("/", f"/a/{data['id']}", "/policy/026", "/a/AAAAAAAAAAA", "/policy/999"):
        resp = await client.get(path)
        assert resp.content_type == "text/html", path
        assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"], path
        assert resp.headers["X-Frame-Options"] == "DENY"
        assert resp.headers["X-Content-Type-Options"] == "nosniff"
        assert resp.headers["Referrer-Policy"]
        assert resp.headers["Server"] == "policybot"
    for path in ("/healthz", "/static/chat.js"):
        resp = await client.get(path)
        assert resp.headers["Server"] == "policybot" and resp.headers["X-Content-Type-Options"] == "nosniff"


async def test_hsts_only_when_the_public_address_is_https(aiohttp_client, assistant, tmp_path, client):
    assert (await client.get("/healthz")).headers["Strict-Transport-Security"].startswith("max-age=")
    plain = await make(aiohttp_client, assistant, tmp_path / "plain", public_base_url="http://127.0.0.1:8000")
    assert "Strict-Transport-Security" not in (await plain.get("/healthz")).headers


# --- malformed bodies: 4xx, no traceback --------------------------------------------------------


MALFORMED = [
    ("/api/ask", b"[" * 100_000 + b"]" * 100_000, {"Content-Type": "application/json"}),
    ("/api/ask", b'{"question": ' + b"7" * 5000 + b"}", {"Content-Type": "application/json"}),
    ("/api/ask", b'{"question": "pay?"}', {"Content-Type": "application/json; charset=x-no-such-charset"}),
    ("/api/ask", b'{"question": "pay?"}', {"Content-Type": "application/json", "Content-Encoding": "gzip"}),
    ("/api/ask", b'{"question": "pay?"}', {"Content-Type": "application/json", "Content-Encoding": "br"}),
    ("/api/ask", gzip.compress(b"not json"), {"Content-Type": "application/json", "Content-Encoding": "gzip"}),
    ("/api/disclaimer", b'{"role": "\xff\xfe"}', {"Content-Type": "application/json"}),
    ("/", b"question=%FF%FE&csrf=x", {"Content-Type": "application/x-www-form-urlencoded"}),
    ("/", b"question=\xff", {"Content-Type": "application/x-www-form-urlencoded"}),
    ("/", b"--B\r\nContent-Disposition: form-data; name=\"question\"\r\n\r\nhi", {"Content-Type": "multipart/form-data; boundary=B"}),
    ("/disclaimer", b"kind=post", {"Content-Type": "application/x-www-form-urlencoded; charset=x-no-such-charset"}),
]


@pytest.mark.parametrize("path, body, headers", MALFORMED, ids=[
    "deep-json", "5000-digits", "unknown-charset", "false-gzip", "unsupported-br", "gzip-not-json", "json-invalid-utf8",
    "form-bad-escape", "form-invalid-utf8", "broken-multipart", "form-unknown-charset",
])
async def test_malformed_bodies_are_4xx_without_a_traceback(client, caplog, path, body, headers):
    caplog.set_level(logging.DEBUG)
    await csrf_token(client)
    resp = await client.post(path, data=body, headers=headers)
    if "no-such-charset" in headers["Content-Type"] and path.startswith("/api/"):
        assert resp.status == 200  # JSON is UTF-8 whatever the label says (RFC 8259): read as such
    else:
        assert 400 <= resp.status < 500
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records if r.exc_info]


@pytest.mark.parametrize(
    "raw",
    [
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Odd: a\x7fb\r\n\r\n",
        b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Long: " + b"a" * 9000 + b"\r\n\r\n",
        b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST /api/ask HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
        b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03",  # TLS to a plain port
    ],
    ids=["0x7f-header", "long-header", "long-url", "bad-chunk", "tls-hello"],
)
async def test_unparsable_requests_are_400_with_one_log_line(client, caplog, raw):
    caplog.set_level(logging.DEBUG)
    reader, writer = await asyncio.open_connection(client.server.host, client.server.port)
    writer.write(raw)
    await writer.drain()
    response = await asyncio.wait_for(reader.read(4000), 5)
    writer.close()
    assert response.startswith(b"HTTP/1.") and b" 400 " in response.split(b"\r\n")[0]
    assert b"aiohttp/" not in response and b"Python/" not in response
    assert not [r for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


async def test_nothing_is_bigger_than_the_body_limit(client):
    resp = await client.post("/api/ask", data=b"x" * 400_000, headers={"Content-Type": "application/json"})
    assert resp.status == 413


async def _count(client) -> int:
    from adapters.appkeys import STORE

    store = client.server.app[STORE]
    flush = getattr(store, "flush", None)
    if flush:
        await asyncio.to_thread(flush)
    return store.count()


assert web  # aiohttp's web is the app under test


async def test_pages_hr_announced_say_so_and_others_do_not(aiohttp_client, assistant, tmp_path):
    from bot.assistant import Assistant
    from bot.store.answers import AnswerStore

    store = AnswerStore.open(None, data_dir=str(tmp_path), base_url=BASE_URL)
    recording = Assistant(library=assistant.library, templates=assistant.templates, recorder=store)
    client = await aiohttp_client(create_app(recording, settings_for(tmp_path)))
    announced = recording.announce("§3.3.4", channel="slack", user_id="UHR")
    question = recording.announce("Can I post about my pay?", channel="teams", user_id="HR")
    asked = recording.ask(LINKEDIN, channel="web")
    for answer, expected in ((announced, True), (question, True), (asked, False)):
        text = Page(await (await client.get(f"/a/{answer.extras['id']}")).text()).text
        assert ("Human Resources shared this answer in an announcement" in text) is expected
    store.close()
