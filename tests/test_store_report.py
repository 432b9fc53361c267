"""`policybot report`, run as a real subprocess over a store filled the way the channels fill it."""

from __future__ import annotations

import json

import pytest

from bot.assistant import Assistant
from bot.store.answers import AnswerStore
from support_store import BASE_URL, cli, database_url, postgres_url  # noqa: F401  (fixtures)

PAY = "Can I post about my pay on Facebook?"


@pytest.fixture(scope="module")
def filled(tmp_path_factory, library):
    """Pay asked 4 times (varied case and spacing), LinkedIn twice, two questions the policy does not cover."""
    data_dir = tmp_path_factory.mktemp("report-data")
    store = AnswerStore.open(None, data_dir=str(data_dir), base_url=BASE_URL)
    assistant = Assistant(library=library, recorder=store)
    asked = [
        (PAY, "slack", "U1"),
        ("can i post about my PAY on facebook", "slack", "U2"),
        ("Can I post about my pay on Facebook?", "teams", "29:a"),
        ("  Can I post about my pay on Facebook??  ", "web", None),
        ("Can I sign up for LinkedIn with my City email?", "teams", "29:b"),
        ("Can I sign up for LinkedIn with my City email?", "cli", None),
        ("How many vacation days do I get?", "slack", "U3"),
        ("How many vacation days do I get", "web", None),
        ("What is the dress code?", "web", None),
    ]
    ids = [assistant.ask(q, channel=c, user_id=u).extras["id"] for q, c, u in asked]
    assistant.feedback(ids[4], -1, channel="teams", user_id="29:b")
    assistant.feedback(ids[4], -1, channel="teams", user_id="29:c")
    assistant.feedback(ids[0], 1, channel="slack", user_id="U1")
    assistant.feedback(ids[0], -1, channel="slack", user_id="U9")
    store.close()
    return {"POLICYBOT_DATA_DIR": str(data_dir), "PUBLIC_BASE_URL": BASE_URL}, ids


def test_report_json(filled):
    env, ids = filled
    out = cli("report", "--json", env_extra=env)
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["total"] == 9
    assert report["per_channel"] == {"slack": 3, "teams": 2, "web": 3, "cli": 1}
    assert (report["thumbs_up"], report["thumbs_down"]) == (1, 3)
    top = report["most_asked"][0]
    assert top["count"] == 4 and top["question"].strip().lower().startswith("can i post about my pay")
    assert top["citations"][0] == "3.1" and top["permalink"].startswith(f"{BASE_URL}/a/")
    assert [q["count"] for q in report["not_covered"]] == [2, 1]
    assert "vacation" in report["not_covered"][0]["question"]
    disliked = report["disliked"]
    assert [(d["thumbs_down"], d["permalink"]) for d in disliked] == [(2, f"{BASE_URL}/a/{ids[4]}"), (1, f"{BASE_URL}/a/{ids[0]}")]
    assert disliked[0]["citations"][0] == "3.3.4"


def test_report_text(filled):
    env, ids = filled
    out = cli("report", env_extra=env)
    assert out.returncode == 0, out.stderr
    text = out.stdout
    assert "Answers given: 9 (slack 3, teams 2, web 3, cli 1)" in text
    assert "Feedback: 1 thumbs up, 3 thumbs down" in text
    most, not_covered, disliked = (
        text.split("Most asked questions")[1],
        text.split("did not cover")[1],
        text.split("marked thumbs down")[1],
    )
    assert "4 x" in most.splitlines()[1] and "§3.1" in most
    assert "vacation days" in not_covered.split("marked thumbs down")[0]
    assert f"{BASE_URL}/a/{ids[4]}" in disliked and "2 down, 0 up" in disliked


def test_report_since_a_later_date_is_empty(filled):
    env, _ = filled
    out = cli("report", "--json", "--since", "2999-01-01", env_extra=env)
    report = json.loads(out.stdout)
    assert report["since"] == "2999-01-01" and report["total"] == 0
    assert report["most_asked"] == [] and report["disliked"] == []
    text = cli("report", "--since", "2999-01-01", env_extra=env).stdout
    assert "since 2999-01-01" in text and "(no questions yet)" in text


@pytest.mark.parametrize("args", [["--since", "last week"], ["--since", "2026-13-01"], ["--limit", "0"]])
def test_report_bad_arguments_are_usage_errors(filled, args):
    env, _ = filled
    out = cli("report", *args, env_extra=env)
    assert out.returncode == 2 and "Traceback" not in out.stderr
    assert "policybot report: error" in out.stderr


def test_the_cli_loads_sqlalchemy_only_when_a_command_needs_it():
    import subprocess
    import sys

    code = (
        "import sys, bot.cli; bot.cli.build_parser().parse_args(['report', '--since', '2026-01-01']);"
        "bot.cli.main(['sections']);"
        "assert 'sqlalchemy' not in sys.modules, 'sqlalchemy imported'"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr


# --- follow-ups are not most-asked questions --------------------------------------------------

FOLLOW_UPS = ("why?", "what about Instagram?", "why?", "what about Instagram?")


def fill_conversations(store, library) -> None:
    """Three people each ask about pay, then follow up four times; one more asks "what about Instagram?" out of any thread."""
    from bot.threads import turn_of

    assistant = Assistant(library=library, recorder=store)
    for user in ("U1", "U2", "U3"):
        history: tuple = ()
        for question in (PAY, *FOLLOW_UPS):
            answer = assistant.ask(question, channel="slack", user_id=user, history=history)
            history += (turn_of(answer),)
    assistant.ask("what about Instagram?", channel="web")  # on its own: a question, however short


def test_the_store_keeps_how_each_message_was_read(tmp_path, library):
    import sqlalchemy as sa

    from bot.store.schema import answers

    store = AnswerStore.open(None, data_dir=str(tmp_path), base_url=BASE_URL)
    try:
        fill_conversations(store, library)
        with store.engine.connect() as conn:
            rows = conn.execute(sa.select(answers.c.question, answers.c.answer_json).order_by(answers.c.created_at)).all()
    finally:
        store.close()
    readings = [(q, data["reading"]) for q, data in rows]
    assert readings[:5] == [(PAY, "new"), ("why?", "explain"), ("what about Instagram?", "follow_up"), ("why?", "explain"), ("what about Instagram?", "follow_up")]
    assert readings[-1] == ("what about Instagram?", "new")


def test_follow_ups_are_not_counted_as_most_asked_questions(tmp_path, library):
    """On a real SQLite file, through `policybot report`: "why?" (6 times) and "what about Instagram?"
    (6 times in threads) outnumber the pay question (3), yet only questions read as new are listed."""
    store = AnswerStore.open(None, data_dir=str(tmp_path), base_url=BASE_URL)
    try:
        fill_conversations(store, library)
    finally:
        store.close()
    out = cli("report", "--json", env_extra={"POLICYBOT_DATA_DIR": str(tmp_path), "PUBLIC_BASE_URL": BASE_URL})
    assert out.returncode == 0, out.stderr
    report = json.loads(out.stdout)
    assert report["total"] == 16  # every answer is still counted per channel
    assert [(q["question"], q["count"]) for q in report["most_asked"]] == [(PAY, 3), ("what about Instagram?", 1)]
    assert all(q["question"] != "why?" for q in report["not_covered"])
    text = cli("report", env_extra={"POLICYBOT_DATA_DIR": str(tmp_path), "PUBLIC_BASE_URL": BASE_URL}).stdout
    assert "why?" not in text.split("Most asked questions")[1].split("marked thumbs down")[0].split("\n", 1)[1]


def test_follow_ups_are_left_out_on_every_database(database_url, library):
    from bot.store.report import build_report

    store = AnswerStore.open(database_url, base_url=BASE_URL)
    try:
        fill_conversations(store, library)
        report = build_report(store)
    finally:
        store.close()
    assert [(q.question, q.count) for q in report.most_asked] == [(PAY, 3), ("what about Instagram?", 1)]
