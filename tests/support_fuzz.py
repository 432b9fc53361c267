"""Hostile request bodies for the property-based tests (hypothesis): what a fuzzer or an attacker sends.

Each example is (body bytes, headers). The strategies mix plain garbage with the classes that
broke the service before: deep JSON, 5,000-digit numbers, unknown charsets, false
Content-Encoding, invalid UTF-8 in forms, broken multipart, JSON of the wrong shape.
"""

from __future__ import annotations

import json
from urllib.parse import urlencode

from hypothesis import strategies as st

CONTENT_TYPES = [
    "application/json",
    "application/json; charset=utf-8",
    "application/json; charset=x-unknown-charset",
    "application/json; charset=latin-1",
    "application/x-www-form-urlencoded",
    "application/x-www-form-urlencoded; charset=bogus",
    "multipart/form-data; boundary=XyZ",
    "multipart/form-data",
    "text/plain",
    "text/html; charset=utf-16",
    "application/octet-stream",
    "",
    "application/vnd.api+json",
    "*/*",
]

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=5) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=20,
)


def _objects_with(fields: list[str]):
    """JSON objects using the route's own field names, with values of every type."""
    return st.dictionaries(st.sampled_from(fields) | st.text(max_size=10), json_values, max_size=6)


def _hostile_json():
    return st.sampled_from(
        [
            b"[" * 50_000 + b"]" * 50_000,
            b'{"question": ' * 3000 + b"1" + b"}" * 3000,
            b"9" * 5000,
            b'{"question": ' + b"9" * 5000 + b"}",
            b'{"question": "\\ud800"}',
            b'{"question": "\xff\xfe"}',
            b"\xef\xbb\xbf{}",
            b'{"question": NaN}',
            b'{"question": 1e999999}',
            b"",
            b"null",
            b'"just a string"',
            b'{"question": "' + "é".encode("latin-1") * 10 + b'"}',
        ]
    )


def _forms(fields: list[str]):
    pairs = st.lists(st.tuples(st.sampled_from(fields) | st.text(max_size=8), st.text(max_size=60)), max_size=6)
    encoded = pairs.map(lambda p: urlencode(p).encode())
    raw = st.sampled_from([b"question=%FF%FE", b"question=%ZZ", b"question=\xff", b"&&&===", b"a=" + b"%41" * 3000, b"=" * 100])
    return encoded | raw


def _multipart():
    return st.sampled_from(
        [
            b"--XyZ\r\nContent-Disposition: form-data; name=\"question\"\r\n\r\nhi\r\n",  # no closing boundary
            b"--XyZ\r\n\r\n--XyZ--",
            b"--other\r\nContent-Disposition: form-data; name=\"question\"\r\n\r\nhi\r\n--other--\r\n",
            b"garbage",
        ]
    )


def bodies(fields: list[str]):
    """(body, headers) pairs: mostly aimed at the route, some pure noise."""
    body = st.one_of(
        _objects_with(fields).map(lambda o: json.dumps(o).encode()),
        json_values.map(lambda v: json.dumps(v).encode()),
        _hostile_json(),
        _forms(fields),
        _multipart(),
        st.binary(max_size=300),
        st.text(max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),
    )
    extra = st.sampled_from([{}, {}, {}, {"Content-Encoding": "gzip"}, {"Content-Encoding": "deflate"}, {"Content-Encoding": "br"}, {"Origin": "null"}])
    headers = st.tuples(st.sampled_from(CONTENT_TYPES), extra).map(lambda t: ({"Content-Type": t[0]} if t[0] else {}) | t[1])
    return st.tuples(body, headers)


_text = st.text(max_size=30)
_scalar = st.none() | st.booleans() | st.integers() | _text


def slack_payloads():
    """Signed-looking Slack shapes with fuzzed insides: events, commands, interactivity."""
    event = st.fixed_dictionaries(
        {"type": st.sampled_from(["app_mention", "message", "app_home_opened", "reaction_added"]) | _text},
        optional={"user": _scalar, "text": _scalar, "channel": _scalar, "ts": _scalar, "thread_ts": _scalar,
                  "channel_type": st.sampled_from(["im", "channel"]) | _scalar, "bot_id": _scalar, "subtype": _scalar},
    )
    event_body = st.fixed_dictionaries(
        {"type": st.sampled_from(["event_callback", "url_verification", "app_rate_limited"]), "event": event},
        optional={"event_id": _scalar, "team_id": _scalar, "api_app_id": _scalar, "challenge": _scalar, "authorizations": st.lists(st.dictionaries(_text, _scalar), max_size=2)},
    ).map(lambda d: (json.dumps(d).encode(), {"Content-Type": "application/json"}))
    action = st.dictionaries(st.sampled_from(["action_id", "value", "type", "block_id"]) | _text, _scalar, max_size=5)
    interactive = st.fixed_dictionaries(
        {"type": st.sampled_from(["block_actions", "view_submission", "shortcut", "message_action", "block_suggestion"]) | _text},
        optional={"user": st.dictionaries(_text, _scalar, max_size=2), "channel": st.dictionaries(_text, _scalar, max_size=2),
                  "actions": st.lists(action, max_size=2), "response_url": _scalar, "team": st.dictionaries(_text, _scalar, max_size=2),
                  "container": st.dictionaries(_text, _scalar, max_size=2), "trigger_id": _scalar},
    ).map(lambda d: (urlencode({"payload": json.dumps(d)}).encode(), {"Content-Type": "application/x-www-form-urlencoded"}))
    command = st.fixed_dictionaries(
        {"command": st.sampled_from(["/policy", "/disclaimer", "/policy-announce", "/other"]) | _text},
        optional={"text": _text, "user_id": _text, "channel_id": _text, "response_url": _text, "team_id": _text, "trigger_id": _text},
    ).map(lambda d: (urlencode(d).encode(), {"Content-Type": "application/x-www-form-urlencoded"}))
    return st.one_of(event_body, interactive, command)


def teams_activities():
    """Activities with a real type and fuzzed fields (the serviceUrl is pointed home by the harness)."""
    account = st.fixed_dictionaries({}, optional={"id": _scalar, "name": _scalar, "aadObjectId": _scalar})
    conversation = st.fixed_dictionaries({}, optional={"id": _scalar, "conversationType": st.sampled_from(["personal", "channel", "groupChat"]) | _scalar, "tenantId": _scalar})
    activity = st.fixed_dictionaries(
        {"type": st.sampled_from(["message", "conversationUpdate", "invoke", "messageReaction", "installationUpdate", "typing"])},
        optional={"id": _scalar, "text": _scalar, "from": account, "recipient": account, "conversation": conversation,
                  "value": json_values, "channelId": st.sampled_from(["msteams", "emulator"]) | _scalar,
                  "membersAdded": st.lists(account, max_size=2), "attachments": st.lists(st.dictionaries(_text, _scalar, max_size=3), max_size=2),
                  "entities": st.lists(st.dictionaries(_text, _scalar, max_size=3), max_size=2), "name": _scalar},
    )
    return activity.map(lambda d: (json.dumps(d).encode(), {"Content-Type": "application/json"}))
