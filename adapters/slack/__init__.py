"""The Slack app (slack-bolt): mentions, DMs, /policy, /disclaimer, /policy-announce, buttons.

Only translation lives here: Slack payloads in, Assistant calls, templates out.
"""
