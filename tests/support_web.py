"""Helpers for the web page's forms: they carry the CSRF token the page hands out (with its cookie)."""

from __future__ import annotations

import re

TOKEN = re.compile(r'name="csrf" value="([^"]+)"')


async def csrf_token(client) -> str:
    """Open the page as a browser would: the client keeps the cookie, the token comes from the form."""
    html = await (await client.get("/")).text()
    return TOKEN.search(html).group(1)


async def post_form(client, path: str, data: dict, **kwargs):
    return await client.post(path, data={**data, "csrf": await csrf_token(client)}, **kwargs)
