"""A browser's form that is refused (no or a forged CSRF token, posted from another site, too many
questions) gets a small page with the same status, the reason and a link back, not raw JSON;
API callers keep {"error": ...}. Real HTTP into the real app on a real SQLite file."""

from __future__ import annotations

from dataclasses import replace

import pytest

from adapters.server import create_app
from support_store import BASE_URL, settings_for
from support_web import csrf_token, post_form

LINKEDIN = "Can I sign up for LinkedIn with my City email?"
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


@pytest.fixture
async def client(aiohttp_client, assistant, tmp_path):
    return await aiohttp_client(create_app(assistant, settings_for(tmp_path)))


async def refused_page(resp, status: int, reason: str) -> str:
    assert resp.status == status
    assert resp.content_type == "text/html"
    html = await resp.text()
    assert '<html lang="en">' in html and "<h1>" in html
    assert f'<p class="error" role="alert">{reason}</p>' in html
    assert "frame-ancestors 'none'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["Cache-Control"] == "no-store"
    return html


async def test_a_chat_form_without_its_token_gets_a_403_page_with_a_link_back(client):
    resp = await client.post("/", data={"question": LINKEDIN}, headers={**BROWSER, "Referer": f"{BASE_URL}/"})
    html = await refused_page(resp, 403, "This form has expired: reload the page and try again.")
    assert '<a href="/">' in html
    # Form-encoded is enough to be a browser's form, even with no Accept naming HTML.
    await csrf_token(client)
    resp = await client.post("/disclaimer", data={"kind": "post", "csrf": "forged-token-forged-token"})
    await refused_page(resp, 403, "This form has expired: reload the page and try again.")


async def test_a_cross_site_form_gets_a_403_page_that_links_home_not_to_the_other_site(client):
    headers = {**BROWSER, "Origin": "https://evil.example", "Referer": "https://evil.example/trap"}
    html = await refused_page(await post_form(client, "/", {"question": LINKEDIN}, headers=headers), 403, "Cross-site requests are not accepted.")
    assert "evil.example" not in html and '<a href="/">' in html


async def test_ask_again_refused_gets_a_page_linking_back_to_the_answer(client):
    answer_id = (await (await client.post("/api/ask", json={"question": LINKEDIN})).json())["id"]
    # A browser too old to say where it posts from: the cached answer page's button is refused.
    resp = await client.post(f"/a/{answer_id}/ask-again", headers={**BROWSER, "Referer": f"{BASE_URL}/a/{answer_id}"}, allow_redirects=False)
    html = await refused_page(resp, 403, "Cross-site requests are not accepted.")
    assert f'<a href="/a/{answer_id}">' in html
    # Without Accept: text/html or a form body it is an API call, and keeps JSON.
    resp = await client.post(f"/a/{answer_id}/ask-again", allow_redirects=False)
    assert resp.status == 403 and (await resp.json())["error"] == "Cross-site requests are not accepted."


async def test_over_the_rate_a_form_gets_a_429_page_with_retry_after_and_the_api_json(aiohttp_client, assistant, tmp_path):
    client = await aiohttp_client(create_app(assistant, replace(settings_for(tmp_path), rate_limit_per_minute=2)))
    for _ in range(2):
        assert (await post_form(client, "/", {"question": LINKEDIN}, headers=BROWSER)).status == 200
    resp = await post_form(client, "/", {"question": LINKEDIN}, headers=BROWSER)
    await refused_page(resp, 429, "Too many questions at once: please wait a moment and try again.")
    assert 1 <= int(resp.headers["Retry-After"]) <= 60
    resp = await client.post("/api/ask", json={"question": LINKEDIN}, headers=BROWSER)
    assert resp.status == 429 and resp.content_type == "application/json"
    assert (await resp.json())["error"] == "Too many questions at once: please wait a moment and try again."


async def test_the_json_api_keeps_json_whatever_it_sends(client):
    resp = await client.post("/api/ask", json={"question": LINKEDIN}, headers={"Origin": "https://evil.example"})
    assert resp.status == 403 and (await resp.json())["error"]
    resp = await client.post("/api/ask", data={"question": LINKEDIN}, headers={"Origin": "https://evil.example"})
    assert resp.status == 403 and resp.content_type == "application/json"
