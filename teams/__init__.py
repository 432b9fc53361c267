"""The Microsoft Teams app package: manifest.json (a template) and the two icons.

`policybot teams-package` fills in the bot's App ID and host and zips these files; they ship
with the installed package, so the command works outside the checkout too.
"""
