"""Ask HR from the local chat page.

  POST /handoff      the page's form (works without JavaScript): the page, with the result
  POST /api/handoff  {"message": str, "answer_id": optional} -> {"mailto", "email", "phone", "html"}

Public like the chat page, and guarded the same way (adapters/web/guard.py): mounted only with
it, same origin only, rate-limited, the form with its CSRF token.

The page has no sign-in, so nothing here can carry HR's reply back: the result is a mailto:
link holding the employee's edited question and the answer's link, so they send it from
their own e-mail and HR replies to them privately; its words are in the language of the answer
asked about (bot.handoff.employee_language). Bad input gets a 400 with {"error": ...}.
"""

from __future__ import annotations

from urllib.parse import quote

from aiohttp import web

from adapters.answer_store import read
from adapters.appkeys import ASSISTANT, SETTINGS, STORE
from adapters.security import read_form
from adapters.web import guard
from adapters.web.chat import _error, _json_object, _page
from bot.handoff import HandoffError, HrContact, clean_message, employee_language
from bot.store.answers import ID_PATTERN


async def _result(request: web.Request, payload: dict) -> dict:
    """The hand-off's result for the page; HandoffError for a message that cannot be sent."""
    message = clean_message(payload.get("message"))
    answer_id = payload.get("answer_id")
    if answer_id not in (None, "") and not (isinstance(answer_id, str) and ID_PATTERN.match(answer_id)):
        raise HandoffError("err_handoff_answer")
    store = request.app.get(STORE)
    stored = await read(request.app, store.get, answer_id) if store is not None and answer_id else None
    contact = HrContact.from_settings(request.app[SETTINGS])
    templates = request.app[ASSISTANT].templates
    language = employee_language(stored.answer if stored else None)
    mailto = None
    if contact.email:
        body = message + ("\n\n" + templates.phrase("mailto_answer", language, permalink=stored.permalink) if stored else "")
        subject = templates.phrase("mailto_subject", language)
        mailto = f"mailto:{quote(contact.email, safe='@')}?subject={quote(subject)}&body={quote(body)}"
    html = templates.render("handoff.web.html.j2", message=message, mailto=mailto, contact=contact, language=language)
    return {"mailto": mailto, "email": contact.email, "phone": contact.phone, "html": html}


async def api_handoff(request: web.Request) -> web.Response:
    payload = await _json_object(request)
    try:
        return web.json_response(await _result(request, payload))
    except HandoffError as exc:
        return _error(str(exc))


async def page_handoff(request: web.Request) -> web.Response:
    form = await read_form(request)
    guard.check_csrf(request, form)
    payload = {k: v for k in ("message", "answer_id") if isinstance(v := form.get(k), str)}
    try:
        result = await _result(request, payload)
    except HandoffError as exc:
        return _page(request, status=400, error=str(exc))
    return _page(request, reply=result["html"])


def mount(app: web.Application) -> None:
    if not app[SETTINGS].chat_enabled:
        return  # no chat page, nothing to hand off from
    guard.install(app)
    app.router.add_post("/handoff", guard.guarded(page_handoff))
    app.router.add_post("/api/handoff", guard.guarded(api_handoff))

