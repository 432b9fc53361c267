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

GIL_SWITCH_S = 0.001


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--host", help="address to listen on (default: $HOST or 127.0.0.1; 0.0.0.0 on a server)")
    p.add_argument("--port", type=_port, help="port to listen on (default: $PORT or 8000)")
    p.add_argument("--socket-mode", action="store_true", help="connect to Slack over Socket Mode (needs SLACK_APP_TOKEN)")
    p.add_argument(
        "--workers", type=_workers, default=None,
        help="processes sharing the port (default: $WEB_CONCURRENCY or 1); one per CPU core under load",
    )
    p.add_argument("--log-level", default="INFO", choices=["DEBUG", "INFO", "WARNING", "ERROR"])


def _port(text: str) -> int:
    from bot.settings import SettingsError, port_number

    try:
        return port_number(text, "--port")
    except SettingsError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _workers(text: str) -> int:
    if not text.strip().isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"--workers must be a whole number of 1 or more, not {text!r}.")
    return int(text)


def run(args: argparse.Namespace) -> int:
    logging.basicConfig(level=args.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    from bot.settings import Settings
    from bot.store import open_store
    from bot.store.errors import StoreError

    settings = Settings.from_env()
    if args.port is not None:
        settings = replace(settings, port=args.port)
    if args.host is not None:
        settings = replace(settings, host=args.host)
    if args.port is not None and not _env_set("PUBLIC_BASE_URL"):
        settings = replace(settings, public_base_url=f"http://127.0.0.1:{settings.port}")
    if args.socket_mode and not (settings.slack_app_token and settings.slack_bot_token):
        print(
            "policybot serve: --socket-mode needs SLACK_APP_TOKEN (an xapp- token) and SLACK_BOT_TOKEN.",
            file=sys.stderr,
        )
        return 2
    if settings.host not in ("127.0.0.1", "localhost", "::1") and not _env_set("PUBLIC_BASE_URL"):
        log.warning("PUBLIC_BASE_URL is not set: answer links will point at %s, which only this machine can open", settings.public_base_url)
    try:
        workers = args.workers if args.workers is not None else _workers(_env("WEB_CONCURRENCY") or "1")
    except argparse.ArgumentTypeError as exc:
        print(f"policybot serve: {str(exc).replace('--workers', 'WEB_CONCURRENCY')}", file=sys.stderr)
        return 2
    settings = replace(settings, workers=workers)
    try:
        open_store(settings).close()  # a broken database stops us here, with the reason, before any worker starts
    except StoreError as exc:
        print(f"policybot serve: {exc}", file=sys.stderr)
        return 1
    address = f"http://{_display_host(settings.host)}:{settings.port}/"
    if settings.chat_enabled:
        print(f"Monroe Policy Assistant: local chat page at {address}", flush=True)
    else:
        print(f"Monroe Policy Assistant: serving at {address} (the chat page and /api/ask are off beyond loopback: "
              "POLICYBOT_PUBLIC_CHAT=on opens them; see docs/security.md)", flush=True)
    if workers == 1:
        return _serve(settings, args.socket_mode, reuse_port=False)
    return _supervise(settings, args.socket_mode, workers, args.log_level)


def _serve(settings, socket_mode: bool, *, reuse_port: bool) -> int:
    """One worker: build the app (its own index, store connections and Slack/Teams clients) and run it."""
    from aiohttp import web

    from adapters.server import create_app
    from bot.store.errors import StoreError

    try:
        app = create_app(settings=settings)
    except StoreError as exc:
        print(f"policybot serve: {exc}", file=sys.stderr)
        return 1
    if socket_mode:
        from adapters.slack.socket_mode import start_socket_mode

        app.on_startup.append(start_socket_mode)
    # Answers are composed in worker threads while the event loop acknowledges Slack and Teams;
    # a shorter GIL switch interval (default 5 ms) lets the loop in sooner, so acks stay prompt.
    sys.setswitchinterval(GIL_SWITCH_S)
    try:
        web.run_app(app, host=settings.host, port=settings.port, print=None, access_log=None, reuse_port=reuse_port or None)
    except OSError as exc:
        print(f"policybot serve: cannot listen on {settings.host}:{settings.port} ({exc.strerror or exc}).", file=sys.stderr)
        return 1
    return 0


def _supervise(settings, socket_mode: bool, workers: int, log_level: str) -> int:
    """Several workers on one port (SO_REUSEPORT: the kernel spreads connections over them).

    They share nothing but the answer store, which is where Slack retries are de-duplicated,
    so a retry that lands on another worker is still answered once. Stopping the parent
    (Ctrl-C, SIGTERM from the platform) stops them all.
    """
    import multiprocessing
    import signal

    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_worker_main, args=(settings, socket_mode and i == 0, log_level), daemon=True) for i in range(workers)]
    for proc in procs:
        proc.start()

    def stop(_signum, _frame) -> None:
        for proc in procs:
            proc.terminate()

    signal.signal(signal.SIGTERM, stop)
    status = 0
    try:
        for proc in procs:
            proc.join()
            status = status or (proc.exitcode or 0)
            if proc.exitcode:  # one worker failed (port taken...): stop the others too
                stop(None, None)
    except KeyboardInterrupt:
        stop(None, None)
        return 130
    return 1 if status > 0 else 0


def _worker_main(settings, socket_mode: bool, log_level: str) -> None:
    logging.basicConfig(level=log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    sys.exit(_serve(settings, socket_mode, reuse_port=True))


def _env(name: str) -> str | None:
    import os

    return os.environ.get(name, "").strip() or None


def _env_set(name: str) -> bool:
    return _env(name) is not None


def _display_host(host: str) -> str:
    return "127.0.0.1" if host in ("0.0.0.0", "::", "") else host
