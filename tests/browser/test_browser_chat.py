"""The local chat page in a real browser (Debian's Chromium): ask, examples, the disclaimer,
focus and what a screen reader hears, with and without JavaScript."""

from __future__ import annotations

import re

from bot.templates import Templates

EXAMPLE_QUESTIONS = Templates().phrases()["examples"]  # what every surface offers (phrases.j2)

PAY = "Can I post about my pay on Facebook?"
LINKEDIN = "Can I sign up for LinkedIn with my City email?"
DISCLAIMER = "The statements and views expressed in this posting are my own and do not reflect those of the City of Monroe."


def mark_document(page) -> None:
    """Mark the document, so a test can tell an in-place reply from a page load."""
    page.evaluate("() => { window.__samePage = true; }")


def same_document(page) -> bool:
    return page.evaluate("() => window.__samePage === true")


def focused(page) -> dict:
    return page.evaluate(
        "() => { const e = document.activeElement;"
        " return {tag: e.tagName.toLowerCase(), id: e.id, cls: e.className, text: e.innerText || ''}; }"
    )


def test_asking_answers_in_place_and_the_status_region_hears_only_the_lead(page, live):
    page.goto(live("/"))
    mark_document(page)
    assert focused(page)["id"] == "question"  # the box has focus on arrival
    page.keyboard.type(PAY)
    page.keyboard.press("Enter")
    reply = page.locator("#log > li article.reply")
    reply.wait_for()

    assert same_document(page) and page.url == live("/")
    assert page.locator("#log > li .asked").inner_text() == PAY
    text = reply.inner_text()
    assert "§3.1" in text and "National Labor Relations Act" in text
    permalink = reply.get_by_role("link", name="Link to this answer").get_attribute("href")
    assert re.fullmatch(re.escape(live("/a/")) + r"[A-Za-z0-9_-]{6,32}", permalink)

    # Focus is back in the emptied box, ready for the next question.
    assert focused(page)["id"] == "question" and page.locator("#question").input_value() == ""
    # The conversation is not live; the status region says the lead and the sections, not the quotes.
    assert page.locator("#log").get_attribute("aria-live") is None
    status = page.get_by_role("status")
    announce = reply.get_attribute("data-announce")
    assert announce.startswith("Answer, from §3.1")
    page.wait_for_function("(text) => document.getElementById('status').textContent === text", arg=announce)
    quote = reply.locator("blockquote").first.inner_text().strip("“”\"")
    assert quote[:40] not in status.text_content() and len(status.text_content()) < len(text) / 2
    assert page.console.errors == []


def test_an_example_button_asks_once_in_place(page, live):
    page.goto(live("/"))
    mark_document(page)
    page.get_by_role("group", name="Example questions").get_by_role("button", name=LINKEDIN).click()
    page.locator("#log article.reply").wait_for()
    assert same_document(page)
    assert page.locator("#log > li").count() == 1  # the click is one question, not a page post and a fetch
    assert page.locator("#log .asked").inner_text() == LINKEDIN
    assert "§3.3.4" in page.locator("#log article.reply").inner_text()
    assert page.console.errors == []


def test_draft_it_puts_focus_on_the_draft(page, live):
    page.goto(live("/"))
    mark_document(page)
    page.get_by_text("Draft the personal-views disclaimer (§3.2)").click()
    page.get_by_label("For my").select_option("blog")
    page.get_by_label("Job title").fill("Recreation Coordinator")
    page.get_by_label("Department").fill("Parks Department")
    draft_button = page.get_by_role("button", name="Draft it")
    draft_button.focus()
    page.keyboard.press("Enter")
    draft = page.locator("#log article.disclaimer")
    draft.wait_for()

    assert same_document(page)
    text = draft.locator("pre.draft").inner_text()
    assert DISCLAIMER in text and "Recreation Coordinator, Parks Department, City of Monroe" in text and "§3.4" in text
    # Focus is on the draft, not dropped to the page body.
    page.wait_for_function("() => document.activeElement !== document.body")
    now = focused(page)
    assert now["tag"] == "article" and "disclaimer" in now["cls"] and DISCLAIMER in now["text"]
    assert draft_button.get_attribute("aria-disabled") is None  # usable again
    assert page.console.errors == []


def test_a_refused_question_is_an_alert_and_focus_stays_in_the_box(page, live):
    page.goto(live("/"))
    page.locator("#question").fill("\u200b\u200b")  # not blank to the browser, nothing to the assistant
    page.get_by_role("button", name="Ask", exact=True).click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "Please type a question" in alert.inner_text()
    assert focused(page)["id"] == "question"
    assert page.console.errors == ["Failed to load resource: the server responded with a status of 400 (Bad Request)"]


def test_without_javascript_the_example_buttons_and_forms_post_the_page(page_without_js, live):
    page = page_without_js
    page.goto(live("/"))
    # An example button posts the form (even with other text in the box): the example is answered.
    page.locator("#question").fill("something typed first")
    with page.expect_navigation():
        page.get_by_role("button", name=EXAMPLE_QUESTIONS[2]).click()
    assert page.locator("#log .asked").inner_text() == EXAMPLE_QUESTIONS[2]
    assert "§" in page.locator("#log article.reply").inner_text()

    with page.expect_navigation():
        page.locator("#question").fill(PAY)
        page.get_by_role("button", name="Ask", exact=True).click()
    assert page.locator("#log .asked").inner_text() == PAY
    assert "National Labor Relations Act" in page.locator("#log article.reply").inner_text()

    page.get_by_text("Draft the personal-views disclaimer (§3.2)").click()
    page.get_by_label("For my").select_option("profile")
    page.get_by_label("Job title").fill("Planner")
    with page.expect_navigation():
        page.get_by_role("button", name="Draft it").click()
    assert page.url == live("/disclaimer")
    text = page.locator("#log pre.draft").inner_text()
    assert DISCLAIMER in text and "Planner, City of Monroe" in text
    assert page.console.errors == []
