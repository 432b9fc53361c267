"""The Microsoft Teams bot (botbuilder-core): questions, help, disclaimer, HR announcements, cards.

Only translation lives here: Bot Framework activities in, Assistant calls, templates out.
"""
