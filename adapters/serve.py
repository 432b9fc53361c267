"""`policybot serve`: run the one aiohttp application (web page, Slack, Teams, answer links).

With `--socket-mode` the Slack app also connects out to Slack over Socket Mode, for a city
that cannot expose a public URL; the local page and the links are served as usual.
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace

log = logging.getLogger("policybot")


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", help="address to listen on (default: $HOST or 127.0.0.1; 0.0.0.0 on a server)")
    p.add_argument("--port", type=int, help="port to listen on (default: $PORT or 8000)")
    p.add_argument("--socket-mode", action="store_true", help="connect to Slack over Socket Mode (needs SLACK_APP_TOKEN)")
    p.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from aiohttp import web

    from adapters.server import create_app
    from bot.settings import Settings
    from bot.store.errors import StoreError

    settings = Settings.from_env()
    if args.port is not None:
        settings = replace(settings, port=args.port)
    if args.host is not None:
        settings = replace(settings, host=args.host)
    if args.port is not None and not _env_set("PUBLIC_BASE_URL"):
        settings = replace(settings, public_base_url=f"http://127.0.0.1:{settings.port}")
    if args.socket_mode and not settings.slack_app_token:
        print("policybot serve: --socket-mode needs SLACK_APP_TOKEN (an xapp- token) and SLACK_BOT_TOKEN.", file=sys.stderr)
        return 2
    if settings.host not in ("127.0.0.1", "localhost", "::1") and not _env_set("PUBLIC_BASE_URL"):
        log.warning("PUBLIC_BASE_URL is not set: answer links will point at %s, which only this machine can open", settings.public_base_url)
    try:
        app = create_app(settings=settings)
    except StoreError as exc:
        print(f"policybot serve: {exc}", file=sys.stderr)
        return 1
    if args.socket_mode:
        from adapters.slack.socket_mode import start_socket_mode

        app.on_startup.append(start_socket_mode)
    print(f"Monroe Policy Assistant: local chat page at http://{_display_host(settings.host)}:{settings.port}/", flush=True)
    try:
        web.run_app(app, host=settings.host, port=settings.port, print=None, access_log=None)
    except OSError as exc:
        print(f"policybot serve: cannot listen on {settings.host}:{settings.port} ({exc.strerror or exc}).", file=sys.stderr)
        return 1
    return 0


def _env_set(name: str) -> bool:
    import os

    return bool(os.environ.get(name, "").strip())


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
