"""The one error the store raises: its message is written for the operator who must fix it."""


class StoreError(RuntimeError):
    """The answer store cannot be opened or used (corrupt file, unwritable path, server down)."""


class StoreUnavailable(StoreError):
    """The database did not answer in time, or refused: pages say "temporarily unavailable" (503)."""
