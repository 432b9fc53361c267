"""Platform adapters: translate between Slack, Teams or the web and the core assistant."""
