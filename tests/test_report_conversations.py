"""`policybot report` groups the reasons for 👎 and lists hand-offs to HR still open, with their age."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot.assistant import Assistant
from bot.feedback import FeedbackError
from bot.store.answers import AnswerStore
from bot.store.schema import handoffs
from support_store import BASE_URL, cli


def test_reasons_and_open_hand_offs_in_the_report(tmp_path, library):
    store = AnswerStore.open(None, data_dir=str(tmp_path), base_url=BASE_URL)
    assistant = Assistant(library=library, recorder=store)
    logo = assistant.ask("Can I use the City logo on my page?", channel="slack", user_id="U1").extras["id"]
    vacation = assistant.ask("How many vacation days do I get?", channel="teams", user_id="29:a").extras["id"]
    assistant.feedback_reason(logo, "unclear", None, channel="slack", user_id="U1")
    assistant.feedback_reason(logo, "unclear", None, channel="slack", user_id="U2")
    assistant.feedback_reason(logo, "other", "  I meant   my own logo ", channel="slack", user_id="U3")
    with pytest.raises(FeedbackError):
        assistant.feedback_reason(logo, "because", None, channel="slack", user_id="U4")
    old = store.handoffs.create(channel="teams", user_id="29:a", answer_id=vacation, question="q", message="How many vacation days?", employee_ref={})
    with store.engine.begin() as conn:  # asked two days ago
        conn.execute(handoffs.update().where(handoffs.c.id == old.id).values(created_at=datetime.now(UTC) - timedelta(hours=48)))
    answered = store.handoffs.create(channel="slack", user_id="U5", answer_id=None, question="q", message="Who do I ask about badges?", employee_ref={})
    store.handoffs.reply(answered.id, "The front desk.", by="UHR")
    done = store.handoffs.create(channel="slack", user_id="U6", answer_id=None, question="q", message="Resolved one", employee_ref={})
    store.handoffs.resolve(done.id, by="UHR")
    assert store.handoffs.resolve(done.id, by="UHR2") is None  # a second press changes nothing
    assert store.handoffs.reply(done.id, "late", by="UHR") is None
    store.close()

    env = {"POLICYBOT_DATA_DIR": str(tmp_path), "PUBLIC_BASE_URL": BASE_URL}
    data = json.loads(cli("report", "--json", env_extra=env).stdout)
    assert data["feedback_reasons"] == {"wrong_section": 0, "unclear": 2, "not_answered": 0, "other": 1}
    assert [d["detail"] for d in data["feedback_details"]] == ["I meant my own logo"]
    ages = [(h["message"], h["status"], round(h["age_hours"])) for h in data["open_handoffs"]]
    assert ages == [("How many vacation days?", "open", 48), ("Who do I ask about badges?", "answered", 0)]
    assert data["open_handoffs"][0]["permalink"] == f"{BASE_URL}/a/{vacation}"

    text = cli("report", env_extra=env).stdout
    assert "2 x  unclear" in text and '"I meant my own logo"' in text
    assert "48 h  How many vacation days?" in text and "waiting for HR" in text and "replied, not resolved" in text
    assert "Resolved one" not in text
