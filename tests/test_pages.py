"""Answer permalinks and the policy page, through real HTTP into the real app on a real SQLite file."""

from __future__ import annotations

import json
from dataclasses import replace
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from aiohttp.test_utils import TestClient, TestServer

from adapters.server import create_app
from bot.assistant import Assistant
from support_store import (  # noqa: F401  (database_url, postgres_url: fixtures)
    BASE_URL,
    NEW_334_PHRASE,
    OLD_334_PHRASE,
    cli,
    database_url,
    load,
    postgres_url,
    revised_policies,
    settings_for,
)

PAY = "Can I post about my pay on Facebook?"
LINKEDIN = "Can I sign up for LinkedIn with my City email?"


class Page(HTMLParser):
    """The bits of a page the tests look at: meta tags, links, ids, visible text."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.forms: list[str] = []
        self.inputs: dict[str, str] = {}  # name -> value of each <input>
        self._text: list[str] = []
        self._skip = 0
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta" and "content" in a:
            self.meta[a.get("property") or a.get("name")] = a["content"]
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        if tag == "form":
            self.forms.append(a.get("action", ""))
        if tag == "input" and a.get("name"):
            self.inputs[a["name"]] = a.get("value") or ""
        if "id" in a:
            self.ids.add(a["id"])
        if tag in {"style", "script", "title"}:
            self._skip += 1

    def handle_endtag(self, tag):
        if tag in {"style", "script", "title"}:
            self._skip -= 1

    def handle_data(self, data):
        if not self._skip:
            self._text.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self._text).split())


async def ask(client, question: str) -> dict:
    resp = await client.post("/api/ask", json={"question": question})
    assert resp.status == 200, await resp.text()
    return await resp.json()


@pytest.fixture
async def client(aiohttp_client, assistant, tmp_path):
    return await aiohttp_client(create_app(assistant, settings_for(tmp_path)))


async def test_permalink_page_shows_the_answer_as_given(client):
    data = await ask(client, PAY)
    assert data["permalink"] == f"{BASE_URL}/a/{data['id']}"
    resp = await client.get(f"/a/{data['id']}")
    assert resp.status == 200 and resp.content_type == "text/html"
    assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
    assert "style-src 'self'" in resp.headers["Content-Security-Policy"]  # /static/site.css, nothing inline
    page = Page(await resp.text())
    assert PAY in page.text
    assert "National Labor Relations Act" in page.text  # the caveat
    assert "§3.1" in page.text and data["quotes"][0]["excerpt"][:60] in page.text
    assert "Social Media (Social Networking) Policy" in page.text and "October 6, 2025" in page.text
    assert "Asked on" in page.text and "on the web page" in page.text
    assert f"{BASE_URL}/policy/026#s3-1" in page.links  # section number links to its anchor
    assert f"{BASE_URL}/policy/026" in page.links  # the full policy
    assert not page.forms  # no "ask again" while the policy is unchanged


async def test_open_graph_tags_for_unfurling(client):
    data = await ask(client, LINKEDIN)
    page = Page(await (await client.get(f"/a/{data['id']}")).text())
    # The preview is the policy's (section and heading), never the asker's words.
    assert page.meta["og:title"] == "§3.3.4 · General Guidelines · Social Media (Social Networking) Policy"
    assert page.meta["og:url"] == data["permalink"] and urlsplit(page.meta["og:url"]).netloc == "policy.monroe.test"
    assert "City email" in page.meta["og:description"] and "§3.3.4" in page.meta["og:description"]
    assert page.meta["og:type"] == "article" and page.meta["robots"] == "noindex"


async def test_no_caveat_where_none_was_given(client):
    data = await ask(client, LINKEDIN)
    assert data["nlra_caveat"] is False
    page = Page(await (await client.get(f"/a/{data['id']}")).text())
    assert "National Labor Relations Act" not in page.text
    assert f"{BASE_URL}/policy/026#s3-3-4" in page.links


async def test_question_the_policy_does_not_cover(client):
    data = await ask(client, "How many vacation days do I get?")
    page = Page(await (await client.get(f"/a/{data['id']}")).text())
    assert "doesn't cover" in page.text and "Human Resources" in page.text
    assert "doesn't cover" in page.meta["og:description"]


async def test_markup_in_a_question_is_shown_as_text(client):
    question = "Can I post about pay? <script>alert('x')</script> {{ 7*7 }} {% if 1 %}yes{% endif %} <b>bold</b>"
    data = await ask(client, question)
    html = await (await client.get(f"/a/{data['id']}")).text()
    assert "<script>alert" not in html and "<b>bold" not in html
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "{{ 7*7 }} {% if 1 %}yes{% endif %}" in html  # not evaluated
    assert "<script>" not in Page(html).meta["og:title"]  # the preview title is the policy's, not the question


async def test_unknown_and_malformed_ids_get_the_404_page(client):
    for path in ("/a/AAAAAAAAAAA", "/a/x", "/a/%3Cscript%3E", "/a/..%2F..%2Fetc"):
        resp = await client.get(path)
        assert resp.status == 404, path
        assert resp.content_type == "text/html"
        page = Page(await resp.text())
        assert "This answer link doesn't work" in page.text
        assert f"{BASE_URL}/policy/026" in page.links


@pytest.mark.parametrize("tail", [".", ").", ",", "%E2%80%9D"])
async def test_a_link_pasted_with_trailing_punctuation_still_works(client, tail):
    data = await ask(client, LINKEDIN)
    resp = await client.get(f"/a/{data['id']}{tail}", allow_redirects=False)
    assert resp.status == 301 and resp.headers["Location"] == f"/a/{data['id']}"


async def test_policy_page_has_an_anchor_per_section(client, policy):
    resp = await client.get("/policy/026")
    assert resp.status == 200
    page = Page(await resp.text())
    assert {s.anchor for s in policy.sections} <= page.ids
    assert "Social Media (Social Networking) Policy" in page.text and "October 6, 2025" in page.text
    assert "Do not register, enroll, or otherwise sign up" in page.text
    assert "#s3-3-4" in page.links
    html = await resp.text()
    assert "<style" not in html and " style=" not in html  # indentation by class (depth-N), for the CSP
    assert '<section class="section depth-3" id="s3-3-4">' in html


@pytest.mark.parametrize("section", ["3.3.4", "§3.3.4", "s3-3-4", "3.3.4."])
async def test_section_links_redirect_to_the_anchor(client, section):
    resp = await client.get(f"/policy/026/{section}", allow_redirects=False)
    assert resp.status == 302
    assert resp.headers["Location"] == "/policy/026#s3-3-4"


async def test_unknown_policy_or_section_is_404(client):
    for path in ("/policy/999", "/policy/026/9.9", "/policy/999/3.3.4", "/policy/026?revision=1999-01-01"):
        resp = await client.get(path, allow_redirects=False)
        assert resp.status == 404, path
        assert "isn't here" in Page(await resp.text()).text


async def test_permalink_survives_a_restart(database_url, assistant, tmp_path):
    settings = settings_for(tmp_path, database_url=database_url)
    async with TestClient(TestServer(create_app(assistant, settings))) as first:
        data = await ask(first, PAY)
    # A new process would build a new app on the same database: the link still answers.
    async with TestClient(TestServer(create_app(Assistant(library=assistant.library), settings))) as second:
        resp = await second.get(f"/a/{data['id']}")
        assert resp.status == 200
        page = Page(await resp.text())
    assert PAY in page.text and data["quotes"][0]["excerpt"][:60] in page.text


async def test_cli_answers_get_a_working_link(tmp_path, assistant):
    out = cli("ask", "--json", LINKEDIN, env_extra={"POLICYBOT_DATA_DIR": str(tmp_path), "PUBLIC_BASE_URL": BASE_URL})
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["permalink"] == f"{BASE_URL}/a/{data['id']}" and data["channel"] == "cli"
    async with TestClient(TestServer(create_app(assistant, settings_for(tmp_path)))) as client:
        page = Page(await (await client.get(f"/a/{data['id']}")).text())
    assert LINKEDIN in page.text and "in the terminal" in page.text


async def test_old_links_keep_their_text_after_a_revision(tmp_path):
    old_folder, both_folder = revised_policies(tmp_path / "policies")
    settings = settings_for(tmp_path / "data")
    async with TestClient(TestServer(create_app(Assistant(library=load(old_folder)), settings))) as before:
        data = await ask(before, LINKEDIN)
        assert data["policy"]["revision"] == "2025-10-06"
        page = Page(await (await before.get(f"/a/{data['id']}")).text())
        assert not page.forms

    # The next revision is added beside the old text; the link must still say what it said.
    async with TestClient(TestServer(create_app(Assistant(library=load(both_folder)), settings))) as after:
        resp = await after.get(f"/a/{data['id']}")
        assert resp.status == 200
        page = Page(await resp.text())
        assert OLD_334_PHRASE in page.text and NEW_334_PHRASE not in page.text
        assert "has been revised since this answer was given" in page.text
        assert "October 6, 2025" in page.text and "March 2, 2027" in page.text
        assert f"{BASE_URL}/policy/026?revision=2025-10-06#s3-3-4" in page.links  # the text it quoted
        assert f"{BASE_URL}/policy/026" in page.links  # the current text
        assert page.forms == [f"/a/{data['id']}/ask-again"]

        # The old revision's page is still there, marked as past; the policy page shows the new text.
        old_page = Page(await (await after.get("/policy/026?revision=2025-10-06")).text())
        assert OLD_334_PHRASE in old_page.text and "has been revised since" in old_page.text
        current_page = Page(await (await after.get("/policy/026")).text())
        assert NEW_334_PHRASE in current_page.text and "March 2, 2027" in current_page.text
        resp = await after.get("/policy/026/3.3.4?revision=2025-10-06", allow_redirects=False)
        assert resp.headers["Location"] == "/policy/026?revision=2025-10-06#s3-3-4"

        # "Ask again" answers under the current text, with a link of its own; the old link is unchanged.
        resp = await after.post(f"/a/{data['id']}/ask-again", allow_redirects=False, headers={"Origin": BASE_URL})
        assert resp.status == 303
        fresh_path = resp.headers["Location"]
        assert fresh_path.startswith("/a/") and fresh_path != f"/a/{data['id']}"
        fresh = Page(await (await after.get(fresh_path)).text())
        assert NEW_334_PHRASE in fresh.text and "March 2, 2027" in fresh.text
        assert "has been revised since" not in fresh.text and not fresh.forms
        again = Page(await (await after.get(f"/a/{data['id']}")).text())
        assert OLD_334_PHRASE in again.text


async def test_ask_again_for_an_unknown_id_is_404(client):
    resp = await client.post("/a/AAAAAAAAAAA/ask-again", allow_redirects=False, headers={"Sec-Fetch-Site": "same-origin"})
    assert resp.status == 404


async def test_pages_keep_their_styles_with_the_chat_off(aiohttp_client, assistant, tmp_path):
    """/static/site.css serves the policy and answer pages, so it stays when the chat page is off."""
    client = await aiohttp_client(create_app(assistant, replace(settings_for(tmp_path), host="0.0.0.0", public_chat=False)))
    assert (await client.get("/")).status == 404
    html = await (await client.get("/policy/026")).text()
    assert '<link rel="stylesheet" href="/static/site.css">' in html
    resp = await client.get("/static/site.css")
    assert resp.status == 200 and resp.content_type == "text/css"
