"""The one error the store raises: its message is written for the operator who must fix it."""


class StoreError(RuntimeError):
    """The answer store cannot be opened or used (corrupt file, unwritable path, server down)."""
