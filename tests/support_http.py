"""A platform's servers played on 127.0.0.1: the base of the Slack and Bot Connector stand-ins."""

from __future__ import annotations

from aiohttp import web
from aiohttp.test_utils import TestServer


class LocalPlatform:
    """Subclasses add their routes in `routes(app)`; `start()` serves them on a free local port."""

    server: TestServer | None = None

    def routes(self, app: web.Application) -> None:
        raise NotImplementedError

    async def start(self) -> None:
        app = web.Application()
        self.routes(app)
        self.server = TestServer(app, host="127.0.0.1")
        await self.server.start_server()

    async def close(self) -> None:
        if self.server:
            await self.server.close()

    def url_for(self, path: str) -> str:
        return str(self.server.make_url(path))
