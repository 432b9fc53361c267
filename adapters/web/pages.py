"""Answer permalinks and the policy page: the links HR pastes into announcements.

  GET  /a/{id}                    the answer as it was given (never re-answered on newer text)
  POST /a/{id}/ask-again          the same question under the current policy -> its new link (same
                                  origin, said by the browser: the cached page has no CSRF token)
  GET  /policy/{number}           the whole policy, an anchor per section (?revision=2025-10-06 for a past one)
  GET  /policy/{number}/{section} redirects to /policy/{number}#s3-3-4

Pages are Jinja2 templates in bot/templates (autoescaped), so a question holding markup
is shown as text.
"""

from __future__ import annotations

import asyncio
import re
from collections import OrderedDict
from typing import TYPE_CHECKING

from aiohttp import web

from adapters.answer_store import read
from adapters.appkeys import ASSISTANT, SETTINGS, STORE
from adapters.web import guard
from bot.store.answers import ID_PATTERN
from bot.store.errors import StoreUnavailable
from bot.composer import policy_ref
from bot.questions import QuestionError
from bot.store import links
from knowledge.sections import Policy

if TYPE_CHECKING:
    from bot.store.answers import StoredAnswer

HEADERS = {
    # Styles come from /static/site.css; the pages run no script and have no inline style.
    "Content-Security-Policy": "default-src 'none'; style-src 'self'; form-action 'self'; base-uri 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def _html(text: str, *, status: int = 200, cache: str = "no-cache") -> web.Response:
    return web.Response(text=text, status=status, content_type="text/html", charset="utf-8", headers={**HEADERS, "Cache-Control": cache})


def _not_found(request: web.Request, what: str) -> web.Response:
    app = request.app
    page = app[ASSISTANT].templates.render(
        "not_found.html.j2",
        what=what,
        policy=policy_ref(app[ASSISTANT].policy),
        policy_url=links.policy_url(app[SETTINGS].public_base_url, app[ASSISTANT].policy.number),
    )
    return _html(page, status=404)


def _unavailable(request: web.Request) -> web.Response:
    """The store is down or slow: say so (503, retry soon), never a 500 or a hung page."""
    app = request.app
    page = app[ASSISTANT].templates.render(
        "unavailable.html.j2",
        policy=policy_ref(app[ASSISTANT].policy),
        policy_url=links.policy_url(app[SETTINGS].public_base_url, app[ASSISTANT].policy.number),
    )
    response = _html(page, status=503, cache="no-store")
    response.headers["Retry-After"] = "30"
    return response


def _revisions(request: web.Request, number: str) -> tuple[Policy, ...]:
    return request.app[ASSISTANT].library.revisions.get(number, ())


class PageCache:
    """Rendered answer pages by id. Safe to keep: a stored answer never changes, and the policy
    revisions (which decide the "revised" banner) are fixed for the life of the process."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self.pages: OrderedDict[str, str] = OrderedDict()

    def get(self, key: str) -> str | None:
        page = self.pages.get(key)
        if page is not None:
            self.pages.move_to_end(key)
        return page

    def put(self, key: str, page: str) -> None:
        self.pages[key] = page
        if len(self.pages) > self.size:
            self.pages.popitem(last=False)


PAGES = web.AppKey("answer_pages", PageCache)
LATE_ROW_S = 0.25  # > the write queue's batch time, with room for a commit


# A link pasted at the end of a sentence often picks up the full stop or a bracket: forgive it.
_TRAILING_PUNCTUATION = re.compile(r"^([A-Za-z0-9_-]{6,32})[.,;:!?)\]}>'\"”’]+$")


async def answer_page(request: web.Request) -> web.Response:
    answer_id = request.match_info["id"]
    if m := _TRAILING_PUNCTUATION.match(answer_id):
        raise web.HTTPMovedPermanently(f"/a/{m.group(1)}")
    cached = request.app[PAGES].get(answer_id)
    if cached is not None:
        return _html(cached, cache="public, max-age=300")
    store = request.app.get(STORE)
    if store is None:
        return _not_found(request, "answer")
    try:
        stored = await read(request.app, store.get, answer_id)
        if stored is None and request.app[SETTINGS].workers > 1 and ID_PATTERN.match(answer_id):
            # Given out a moment ago by another worker, its row may still be in that worker's
            # write queue (committed within tens of milliseconds): look once more before a 404.
            await asyncio.sleep(LATE_ROW_S)
            stored = await read(request.app, store.get, answer_id)
    except StoreUnavailable:
        return _unavailable(request)
    if stored is None:
        return _not_found(request, "answer")
    page = _render_answer(request, stored)
    request.app[PAGES].put(answer_id, page)
    return _html(page, cache="public, max-age=300")


def _render_answer(request: web.Request, stored: StoredAnswer) -> str:
    assistant = request.app[ASSISTANT]
    base = request.app[SETTINGS].public_base_url
    answer = stored.answer
    number, revision = answer.policy.number, answer.policy.revision
    revisions = _revisions(request, number)
    current = revisions[-1] if revisions else None
    revised = current is not None and current.revision != revision
    # Section links go to the text the answer quoted: the past revision when it is still on file.
    kept = any(p.revision == revision for p in revisions)
    quoted = next((p for p in revisions if p.revision == revision), current)
    return assistant.render(
        answer,
        "html",
        stored=stored,
        permalink=stored.permalink,
        policy_url=links.policy_url(base, number, revision=revision if revised and kept else None),
        current=policy_ref(current) if revised else None,
        current_policy_url=links.policy_url(base, number),
        ask_again_url=f"/a/{stored.id}/ask-again" if request.app[SETTINGS].chat_enabled else None,
        section_heading=_heading(quoted, answer.citations[0]) if quoted and answer.citations else None,
    )


def _heading(policy: Policy, section_id: str) -> str | None:
    """The section's heading, or its nearest ancestor's (sub-sections such as 3.3.4 have none)."""
    section = policy.get(section_id)
    while section is not None and not section.heading:
        section = policy.get(section.parent) if section.parent else None
    return section.heading if section else None


async def ask_again(request: web.Request) -> web.StreamResponse:
    store = request.app.get(STORE)
    try:
        stored = await read(request.app, store.get, request.match_info["id"]) if store is not None else None
    except StoreUnavailable:
        return _unavailable(request)
    if stored is None:
        return _not_found(request, "answer")
    try:
        fresh = await asyncio.to_thread(request.app[ASSISTANT].ask, stored.answer.question, channel="web")
    except QuestionError:
        return _not_found(request, "answer")
    answer_id = fresh.extras.get("id")
    raise web.HTTPSeeOther(f"/a/{answer_id}" if answer_id else "/")


async def policy_page(request: web.Request) -> web.Response:
    number = request.match_info["number"]
    revisions = _revisions(request, number)
    if not revisions:
        return _not_found(request, "policy")
    wanted = request.query.get("revision")
    policy = next((p for p in revisions if p.revision == wanted), None) if wanted else revisions[-1]
    if policy is None:
        return _not_found(request, "revision")
    assistant = request.app[ASSISTANT]
    base = request.app[SETTINGS].public_base_url
    current = revisions[-1]
    page = assistant.templates.render(
        "policy.html.j2",
        policy=policy,
        ref=policy_ref(policy),
        summaries=assistant.library.summaries(policy),
        current=None if policy is current else policy_ref(current),
        current_policy_url=links.policy_url(base, number),
        page_url=links.policy_url(base, number, revision=None if policy is current else policy.revision),
    )
    return _html(page, cache="public, max-age=300")


def _section_id(raw: str) -> str:
    """Accept 3.3.4, §3.3.4 and s3-3-4 alike."""
    text = raw.strip().lstrip("§").strip()
    if text[:1] in {"s", "S"} and "-" in text:
        text = text[1:].replace("-", ".")
    return text.rstrip(".")


async def section_redirect(request: web.Request) -> web.StreamResponse:
    number = request.match_info["number"]
    revisions = _revisions(request, number)
    wanted = request.query.get("revision")
    policy = next((p for p in revisions if p.revision == wanted), None) if wanted else (revisions[-1] if revisions else None)
    section = policy.get(_section_id(request.match_info["section"])) if policy else None
    if section is None:
        return _not_found(request, "section")
    query = f"?revision={wanted}" if wanted else ""
    raise web.HTTPFound(f"/policy/{number}{query}#{section.anchor}")


def mount(app: web.Application) -> None:
    app[PAGES] = PageCache()
    app.router.add_get("/a/{id}", answer_page)
    if app[SETTINGS].chat_enabled:  # it asks anonymously, like /api/ask: same switch, same guard
        guard.install(app)
        # The answer page is cached and shared, so its button carries no CSRF token: the browser vouches instead.
        app.router.add_post("/a/{id}/ask-again", guard.guarded(ask_again, tokenless_form=True))
    app.router.add_get("/policy/{number}", policy_page)
    app.router.add_get("/policy/{number}/{section}", section_redirect)
