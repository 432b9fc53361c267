"""The console script, run as a real subprocess the way an employee would."""

import json
import subprocess
import sys

import pytest

POLICYBOT = [sys.executable, "-m", "bot.cli"]


def run(*args, stdin=None):
    return subprocess.run([*POLICYBOT, *args], input=stdin, capture_output=True, text=True, timeout=60)


def test_ask_json_cites_3_3_4():
    out = run("ask", "--json", "Can I sign up for LinkedIn with my city email?")
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert data["citations"][0] == "3.3.4"
    assert data["in_scope"] is True and data["nlra_caveat"] is False
    assert "§3.3.4" in data["answer"]


def test_ask_pay_carries_the_caveat():
    out = run("ask", "Can I post about my pay on Facebook?")
    assert out.returncode == 0
    assert "National Labor Relations Act" in out.stdout
    assert "§3.1" in out.stdout


def test_ask_vacation_points_to_hr():
    out = run("ask", "--json", "How many vacation days do I get?")
    data = json.loads(out.stdout)
    assert data["citations"] == [] and data["in_scope"] is False
    assert "Human Resources" in data["answer"]


def test_empty_question_is_a_usage_error():
    out = run("ask", "")
    assert out.returncode == 2
    assert "type a question" in out.stderr
    assert "Traceback" not in out.stderr


def test_batch_mode_answers_in_order():
    questions = "Can I sign up for LinkedIn with my city email?\n\nHow many vacation days do I get?\ncan my boss friend me on fb\n"
    out = run("ask", "--json", stdin=questions)
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 4
    assert lines[0]["citations"][0] == "3.3.4"
    assert "error" in lines[1]
    assert lines[2]["in_scope"] is False
    assert lines[3]["citations"][0] == "3.5.1"
    assert out.returncode == 2  # one line could not be asked


@pytest.mark.parametrize(
    "question",
    ["x" * 100_000, "can I post\x07\x1b[2J about pay", "🙂" * 50, "\u202eevil\u202c text about fb"],
)
def test_odd_input_never_tracebacks(question):
    out = run("ask", "--json", question)
    assert "Traceback" not in out.stderr
    assert out.returncode in (0, 2)
    if out.returncode == 0:
        assert json.loads(out.stdout)["answer"]


def test_disclaimer_command():
    out = run("disclaimer", "--kind", "blog", "--role", "Planner", "--department", "Parks Department")
    assert out.returncode == 0
    assert "The statements and views expressed in this posting are my own" in out.stdout
    assert "Planner, Parks Department, City of Monroe" in out.stdout
    assert "§3.4" in out.stdout


def test_sections_command_lists_every_section():
    out = run("sections")
    assert out.returncode == 0
    for sid in ("3.3.12", "3.5.3", "3.8", "7"):
        assert f"\n{'  ' * sid.count('.')}{sid} " in out.stdout


def test_ask_does_not_import_platform_sdks():
    code = (
        "import sys; from bot.cli import main; sys.argv=['policybot'];"
        "main(['ask','--json','can I post about pay on fb']);"
        "bad=[m for m in sys.modules if m.split('.')[0] in ('slack_bolt','slack_sdk','botbuilder','botframework')];"
        "print('IMPORTED', bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert "IMPORTED []" in out.stdout, out.stdout + out.stderr


def test_eval_scores_chosen_authors_of_the_bank():
    out = run("eval", "--bank", "--authors", "a4", "--json")
    assert out.returncode == 0, out.stderr
    questions, conversations = json.loads(out.stdout)
    assert "held-out authors a4 (never seen)" in questions["name"] and questions["questions"] > 100
    assert conversations["conversations"] > 10 and 0 < questions["top1"] <= 1
    unknown = run("eval", "--bank", "--authors", "a4,nobody")
    assert unknown.returncode == 2 and "no such author in the bank: nobody" in unknown.stderr
