"""The web edge: the local chat page, its JSON API, answer permalinks and the policy page."""
