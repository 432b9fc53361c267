"""The local chat page and its JSON API, through real HTTP into the real app (no Slack, no Teams)."""

from __future__ import annotations

import pytest

from adapters.server import create_app
from bot.templates import Templates
from support_store import BASE_URL, settings_for
from support_web import csrf_token, post_form
from test_pages import Page

EXAMPLE_QUESTIONS = Templates().phrases()["examples"]  # what every surface offers (phrases.j2)

LINKEDIN = "Can I sign up for LinkedIn with my City email?"
PAY = "Can I post about my pay on Facebook?"


@pytest.fixture
async def client(aiohttp_client, assistant, tmp_path):
    return await aiohttp_client(create_app(assistant, settings_for(tmp_path)))


async def test_the_page_offers_a_form_examples_and_the_policy(client):
    resp = await client.get("/")
    assert resp.status == 200 and resp.content_type == "text/html"
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    html = await resp.text()
    page = Page(html)
    assert {"ask", "question", "log", "disclaimer"} <= page.ids
    assert "/" in page.forms and "/disclaimer" in page.forms
    assert f"{BASE_URL}/policy/026" in page.links and "October 6, 2025" in page.text
    for q in EXAMPLE_QUESTIONS:
        assert q in page.text
    assert '<script src="/static/chat.js"' in html and "<script>" not in html  # no inline code


async def test_the_script_and_styles_are_served(client):
    resp = await client.get("/static/chat.js")
    assert resp.status == 200 and resp.content_type == "application/javascript"
    assert "/api/ask" in await resp.text()
    for name, rule in (("site.css", "text-decoration: underline"), ("chat.css", "#log")):
        resp = await client.get(f"/static/{name}")
        assert resp.status == 200 and resp.content_type == "text/css" and rule in await resp.text()
    assert (await client.get("/static/nothing.js")).status == 404


async def test_the_page_has_no_inline_style_or_script(client):
    """Styles and scripts are files under /static, so the CSP can allow 'self' only."""
    resp = await client.get("/")
    csp = resp.headers["Content-Security-Policy"]
    assert "style-src 'self'" in csp and "unsafe-inline" not in csp
    html = await resp.text()
    assert "<style" not in html and " style=" not in html and "<script>" not in html
    assert '<link rel="stylesheet" href="/static/site.css">' in html and '<link rel="stylesheet" href="/static/chat.css">' in html


async def test_example_buttons_submit_the_form_without_javascript(client):
    """Each example is a submit button of the ask form (form="ask", name="question"); a browser
    sends it before the text box (tree order; tests/browser checks it in Chromium), and the page
    answers the example."""
    html = await (await client.get("/")).text()
    for q in EXAMPLE_QUESTIONS:
        assert f'<button type="submit" form="ask" formnovalidate name="question" value="{q}" class="example">' in html
    token = await csrf_token(client)  # the ask form's own token goes with the button (form="ask")
    resp = await client.post("/", data=[("question", LINKEDIN), ("question", ""), ("csrf", token)])
    page = Page(await resp.text())
    assert resp.status == 200 and LINKEDIN in page.text and "§3.3.4" in page.text


async def test_the_conversation_is_not_a_live_region(client):
    """A live region would read every quote aloud: the page has a separate status region, and
    each reply carries a short announcement for it."""
    html = await (await client.get("/")).text()
    assert '<ol id="log" ' in html and "aria-live" not in html
    assert '<div id="status" class="visually-hidden" role="status"></div>' in html
    data = await (await client.post("/api/ask", json={"question": PAY})).json()
    assert 'data-announce="Answer, from §3.1' in data["html"] and "National Labor Relations Act." in data["html"]


async def test_api_answers_with_citations_link_and_rendering(client):
    resp = await client.post("/api/ask", json={"question": LINKEDIN})
    assert resp.status == 200
    data = await resp.json()
    assert data["citations"][0] == "3.3.4" and data["in_scope"] and not data["nlra_caveat"]
    assert data["permalink"].startswith(f"{BASE_URL}/a/")
    fragment = Page(data["html"])
    assert "§3.3.4" in fragment.text and f"{BASE_URL}/policy/026/3.3.4" in fragment.links
    assert data["permalink"] in fragment.links


async def test_api_caveat_is_rendered_when_it_applies(client):
    data = await (await client.post("/api/ask", json={"question": PAY})).json()
    assert data["nlra_caveat"] is True
    assert 'class="caveat"' in data["html"] and "National Labor Relations Act" in Page(data["html"]).text


async def test_api_out_of_scope_points_to_hr(client):
    data = await (await client.post("/api/ask", json={"question": "Where do I park on weekends?"})).json()
    assert data["in_scope"] is False and data["citations"] == []
    assert "Human Resources" in Page(data["html"]).text


@pytest.mark.parametrize(
    "body, content_type, message",
    [
        ("{not json", "application/json", "must be JSON"),
        ("", "application/json", "must be JSON"),
        ('["a list"]', "application/json", "JSON object"),
        ('{"question": 42}', "application/json", "as text"),
        ('{"q": "wrong key"}', "application/json", "as text"),
        ('{"question": "   "}', "application/json", ""),
        ('{"question": "\\u200b\\u0000\\u0007"}', "application/json", ""),
        (b"\xff\xfe\x00garbage", "application/json", "must be JSON"),
    ],
)
async def test_api_bad_input_is_a_clear_400(client, body, content_type, message):
    resp = await client.post("/api/ask", data=body, headers={"Content-Type": content_type})
    assert resp.status == 400
    error = (await resp.json())["error"]
    assert error and message in error


async def test_api_huge_question_is_answered_from_its_beginning(client):
    data = await (await client.post("/api/ask", json={"question": "Can I use the City logo? " + "x" * 100_000})).json()
    assert data["truncated"] is True and "very long" in data["html"]


async def test_api_body_over_the_size_limit_is_refused(client):
    resp = await client.post("/api/ask", json={"question": "x" * 400_000})
    assert resp.status == 413


async def test_markup_in_a_question_stays_text(client):
    data = await (await client.post("/api/ask", json={"question": "<script>alert(1)</script> City logo?"})).json()
    assert "<script>" not in data["html"]
    resp = await post_form(client, "/", {"question": "<script>alert(1)</script> {{ 7*7 }} City logo?"})
    html = await resp.text()
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{ 7*7 }}" in html


async def test_the_page_answers_without_javascript(client):
    resp = await post_form(client, "/", {"question": PAY})
    assert resp.status == 200
    page = Page(await resp.text())
    assert PAY in page.text and "National Labor Relations Act" in page.text
    assert any(link.startswith(f"{BASE_URL}/a/") for link in page.links)


async def test_the_page_explains_an_empty_question(client):
    resp = await post_form(client, "/", {"question": "  "})
    assert resp.status == 400
    assert "question" in Page(await resp.text()).text.lower()


async def test_disclaimer_from_the_api_and_the_form(client):
    data = await (await client.post("/api/disclaimer", json={"kind": "blog", "role": "Recreation Coordinator"})).json()
    assert data["disclaimer"] == (
        "The statements and views expressed in this posting are my own and do not reflect those of the City of Monroe."
    )
    assert data["affiliation"] == "Recreation Coordinator, City of Monroe" and data["citations"] == ["3.2", "3.3.11", "3.4"]
    resp = await post_form(client, "/disclaimer", {"kind": "profile", "department": "Parks <b>Department</b>"})
    html = await resp.text()
    assert resp.status == 200 and "Parks &lt;b&gt;Department&lt;/b&gt;, City of Monroe" in html


@pytest.mark.parametrize("payload", [{"kind": "tweet"}, {"kind": 3}, {"role": "x" * 500}, ["blog"]])
async def test_disclaimer_bad_input_is_a_clear_400(client, payload):
    resp = await client.post("/api/disclaimer", json=payload)
    assert resp.status == 400 and (await resp.json())["error"]
