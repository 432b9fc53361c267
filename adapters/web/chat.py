"""The local chat page: the whole assistant in a browser, no Slack or Teams needed.

  GET  /                the page (works without JavaScript: its forms post back here)
  POST /                a question from the page's form, answered in the page
  POST /disclaimer      a disclaimer draft from the page's form
  POST /api/ask         {"question": str, "thread": optional id} -> the Answer as JSON, plus "html"
                        (the page's rendering) and "thread" (send it back with a follow-up)
  POST /api/disclaimer  {"kind", "role", "department"} -> the draft as JSON, plus "html"
  GET  /static/chat.js  the script that lets the page answer in place
  GET  /static/site.css, /static/chat.css   the pages' styles (no inline styles or scripts: CSP)

Every reply is rendered by a template on the server, so the wording stays with the other
templates and the page only places it. Bad input gets a 400 with {"error": ...} (the API)
or the page with the message (the forms).

These are public surfaces with no login: mounted only when Settings.chat_enabled (loopback by
default, POLICYBOT_PUBLIC_CHAT=on to open them), and every post goes through guard.guarded
(same origin, rate limit); the forms also carry a CSRF token.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from importlib import resources
from typing import Any

from aiohttp import web

from adapters.appkeys import ASSISTANT, SETTINGS
from adapters.security import bad_request, read_form, read_json
from adapters.web import guard
from bot.answer import Answer
from bot.composer import policy_ref
from bot.disclaimer import Disclaimer
from bot.questions import QuestionError
from bot.store import links

log = logging.getLogger(__name__)

HEADERS = {
    # The page runs its own script only (no inline code), so injected markup cannot run.
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'self'; "
    "form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
FORM_FIELDS = ("question", "kind", "role", "department", "thread")
THREAD_ID = re.compile(r"^[A-Za-z0-9_-]{8,64}$")


def _thread_id(value: object) -> str:
    """The conversation a question belongs to: the id the page sent back, or a new one."""
    if value is None or value == "":
        return secrets.token_urlsafe(12)
    if not isinstance(value, str) or not THREAD_ID.match(value):
        raise QuestionError("err_thread")
    return value
# The page's files (adapters/web/static), served from memory: name -> (text, content type).
STATIC = {
    name: (resources.files("adapters.web").joinpath("static", name).read_text(encoding="utf-8"), content_type)
    for name, content_type in (("chat.js", "application/javascript"), ("site.css", "text/css"), ("chat.css", "text/css"))
}


def _render_answer(request: web.Request, answer: Answer) -> str:
    base, number = request.app[SETTINGS].public_base_url, answer.policy.number
    return request.app[ASSISTANT].render(
        answer,
        "web.html",
        section_url=lambda section_id: links.section_url(base, number, section_id),
        permalink=answer.extras.get("permalink"),
        csrf=guard.csrf_token(request),  # the Ask HR form inside a not-covered answer posts with it
    )


def _render_disclaimer(request: web.Request, draft: Disclaimer) -> str:
    return request.app[ASSISTANT].templates.render("disclaimer.web.html.j2", d=draft)


def _page(
    request: web.Request, *, status: int = 200, question: str = "", reply: str | None = None, error: str | None = None, thread: str = ""
) -> web.Response:
    assistant = request.app[ASSISTANT]
    policy = policy_ref(assistant.policy)
    csrf = guard.csrf_token(request)
    html = assistant.templates.render(
        "chat.html.j2",
        examples=assistant.examples,
        question=question,
        reply=reply,
        error=error,
        policy=policy,
        policy_url=links.policy_url(request.app[SETTINGS].public_base_url, policy.number),
        kinds=assistant.disclaimer_kinds,
        csrf=csrf,
        thread=thread,
    )
    response = web.Response(text=html, status=status, content_type="text/html", charset="utf-8", headers={**HEADERS, "Cache-Control": "no-store"})
    guard.set_csrf_cookie(request, response, csrf)
    return response


def _error(message: str, status: int = 400) -> web.Response:
    return web.json_response({"error": message}, status=status)


async def _json_object(request: web.Request) -> dict[str, Any]:
    payload = await read_json(request)
    if not isinstance(payload, dict):
        raise bad_request(request, "err_json_object")
    return payload


async def _form(request: web.Request) -> dict[str, str]:
    data = await read_form(request)
    guard.check_csrf(request, data)
    return {k: data[k] for k in FORM_FIELDS if k in data}


def _text_field(payload: dict[str, Any], name: str) -> str | None:
    value = payload.get(name)
    if value is None or isinstance(value, str):
        return value
    raise QuestionError("err_not_text", field=name)


async def _ask(request: web.Request, question: str | None, thread: str) -> Answer:
    """Answer in the page's conversation, so a follow-up is read with the questions before it."""
    return await asyncio.to_thread(request.app[ASSISTANT].converse, question, thread=f"web:{thread}", channel="web")


def _draft(request: web.Request, payload: dict[str, Any]) -> Disclaimer:
    return request.app[ASSISTANT].disclaimer(
        kind=_text_field(payload, "kind") or "post",
        role=_text_field(payload, "role"),
        department=_text_field(payload, "department"),
    )


async def page(request: web.Request) -> web.Response:
    return _page(request)


async def page_ask(request: web.Request) -> web.Response:
    form = await _form(request)
    question = form.get("question", "")
    try:
        thread = _thread_id(form.get("thread"))
        answer = await _ask(request, question, thread)
    except QuestionError as exc:
        return _page(request, status=400, question=question.strip()[:4000], error=str(exc))
    return _page(request, question=answer.question, reply=_render_answer(request, answer), thread=thread)


async def page_disclaimer(request: web.Request) -> web.Response:
    try:
        draft = _draft(request, await _form(request))
    except QuestionError as exc:
        return _page(request, status=400, error=str(exc))
    return _page(request, reply=_render_disclaimer(request, draft))


async def api_ask(request: web.Request) -> web.Response:
    payload = await _json_object(request)
    question = payload.get("question")
    if not isinstance(question, str):
        raise bad_request(request, "err_question_not_text")
    try:
        thread = _thread_id(payload.get("thread"))
        answer = await _ask(request, question, thread)
    except QuestionError as exc:
        return _error(str(exc))
    return web.json_response({**answer.to_json(), "thread": thread, "html": _render_answer(request, answer)})


async def api_disclaimer(request: web.Request) -> web.Response:
    payload = await _json_object(request)
    try:
        draft = _draft(request, payload)
    except QuestionError as exc:
        return _error(str(exc))
    return web.json_response(
        {
            "disclaimer": draft.sentence,
            "affiliation": draft.affiliation,
            "citations": list(draft.citations),
            "text": draft.text,
            "html": _render_disclaimer(request, draft),
        }
    )


async def static_file(request: web.Request) -> web.Response:
    found = STATIC.get(request.match_info["name"])
    if found is None:
        raise web.HTTPNotFound()
    text, content_type = found
    return web.Response(text=text, content_type=content_type, charset="utf-8", headers={"Cache-Control": "no-cache", "X-Content-Type-Options": "nosniff"})


def mount(app: web.Application) -> None:
    # The styles serve every page (answer, policy, privacy), so they are mounted with the chat off too.
    app.router.add_get("/static/{name}", static_file)
    if not app[SETTINGS].chat_enabled:
        log.info("web: the chat page and /api/ask are off (not on loopback; POLICYBOT_PUBLIC_CHAT=on opens them)")
        return
    guard.install(app)
    app.router.add_get("/", page)
    app.router.add_post("/", guard.guarded(page_ask))
    app.router.add_post("/disclaimer", guard.guarded(page_disclaimer))
    app.router.add_post("/api/ask", guard.guarded(api_ask))
    app.router.add_post("/api/disclaimer", guard.guarded(api_disclaimer))
