"""`policybot`: ask, draft a disclaimer, list sections, evaluate, and run the service.

`ask` must start fast (no Slack or Teams SDK is imported on its path): the platform
commands import their adapters only when they run.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from bot.questions import QuestionError

EXIT_USAGE = 2


def _assistant():
    from bot.assistant import Assistant

    return Assistant()


def _recording_assistant():
    """`ask` keeps its answers in the answer store (channel "cli"), so --json carries their link."""
    from bot.settings import Settings
    from bot.store import open_store

    from bot.store.threads import StoreThreads

    store = open_store(Settings.from_env())  # StoreError before any question is asked
    assistant = _assistant()
    assistant.recorder = store
    assistant.threads = StoreThreads(store)
    return assistant


def _print_json(obj: dict) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False) + "\n")


def cmd_ask(args: argparse.Namespace) -> int:
    question = " ".join(args.question) if args.question else None
    if question is None and sys.stdin.isatty():
        print("policybot ask: give a question, e.g. policybot ask \"Can I post about my pay?\"", file=sys.stderr)
        return EXIT_USAGE
    from bot.store.errors import StoreError

    try:
        assistant = _recording_assistant()
    except StoreError as exc:
        print(f"policybot ask: {exc}", file=sys.stderr)
        return 1
    if question is not None:
        try:
            answer = assistant.ask(question)
        except QuestionError as exc:
            print(f"policybot ask: {exc}", file=sys.stderr)
            return EXIT_USAGE
        if args.json:
            _print_json(answer.to_json())
        else:
            print(answer.text)
        return 0
    # Batch: one question per line on stdin, one result per line on stdout, in order. A line
    # {"thread": "t1", "question": "..."} belongs to conversation t1: read with t1's earlier lines.
    from bot.threads import turn_of

    status = 0
    histories: dict[str, tuple] = {}
    for line in sys.stdin:
        line = line.rstrip("\n")
        thread = None
        try:
            thread, question = _batch_line(line)
            answer = assistant.ask(question, history=histories.get(thread, ()) if thread else ())
        except QuestionError as exc:
            status = EXIT_USAGE
            if args.json:
                _print_json({"question": line, "error": str(exc), **({"thread": thread} if thread else {})})
            else:
                print(f"policybot ask: {exc}", file=sys.stderr)
            continue
        if thread and not answer.is_acknowledgement:  # a thank-you is no turn of the conversation
            histories[thread] = (*histories.get(thread, ()), turn_of(answer))
        if args.json:
            _print_json({**answer.to_json(), **({"thread": thread} if thread else {})})
        else:
            print(answer.text + "\n")
        sys.stdout.flush()
    return status


def _batch_line(line: str) -> tuple[str | None, str]:
    """A batch line: a plain question, or {"thread": "t1", "question": "..."}; QuestionError if malformed."""
    if not line.lstrip().startswith("{"):
        return None, line
    try:
        data = json.loads(line)
    except json.JSONDecodeError:
        raise QuestionError("err_batch_json") from None
    thread, question = (data.get("thread"), data.get("question")) if isinstance(data, dict) else (None, None)
    if not isinstance(question, str):
        raise QuestionError("err_batch_question")
    if thread is not None and not isinstance(thread, (str, int)):
        raise QuestionError("err_batch_thread")
    return (str(thread) if thread is not None else None), question


CHAT_EXIT = {"exit", "quit", "bye", ":q"}


def cmd_chat(args: argparse.Namespace) -> int:
    """A conversation at the prompt: each question is read with the ones before it (follow-ups)."""
    from bot.store.errors import StoreError
    from bot.threads import turn_of

    try:
        assistant = _recording_assistant()
    except StoreError as exc:
        print(f"policybot chat: {exc}", file=sys.stderr)
        return 1
    interactive = sys.stdin.isatty()
    if interactive:
        print(assistant.reply("chat_intro"))
    history: tuple = ()
    while True:
        try:
            line = input("> " if interactive else "")
        except EOFError:
            return 0
        if line.strip().lower() in CHAT_EXIT:
            return 0
        if not line.strip():
            continue
        try:
            answer = assistant.ask(line, channel="cli", history=history)
        except QuestionError as exc:
            print(exc)
            continue
        if not answer.is_acknowledgement:
            history = (*history, turn_of(answer))
        if args.json:
            _print_json(answer.to_json())
        else:
            print(answer.text + "\n")
        sys.stdout.flush()


def cmd_disclaimer(args: argparse.Namespace) -> int:
    from bot.assistant import Assistant

    try:
        draft = Assistant().disclaimer(kind=args.kind, role=args.role, department=args.department)
    except QuestionError as exc:
        print(f"policybot disclaimer: {exc}", file=sys.stderr)
        return EXIT_USAGE
    if args.json:
        _print_json({"disclaimer": draft.sentence, "affiliation": draft.affiliation, "citations": list(draft.citations), "text": draft.text})
    else:
        print(draft.text)
    return 0


def cmd_sections(args: argparse.Namespace) -> int:
    from knowledge.library import Library

    policy = Library.load().current()
    print(f"Policy {policy.number}: {policy.title} (revised {policy.revision})")
    for s in policy.sections:
        words = " ".join(s.text.split()[:10])
        indent = "  " * (s.depth - 1)
        print(f"{indent}{s.id:<8} {s.heading or '':<28} {words}{' ...' if len(s.text.split()) > 10 else ''}")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from bot.evaluation import evaluate, evaluate_bank, load_questions, report_json

    if not args.bank and not args.file:
        print("policybot eval: give a JSONL question set, or --bank", file=sys.stderr)
        return EXIT_USAGE
    reports = []
    if args.bank:
        try:
            reports.extend(evaluate_bank(authors=[a.strip() for a in (args.authors or "").split(",") if a.strip()]))
        except ValueError as exc:
            print(f"policybot eval: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if args.file:
        try:
            rows = load_questions(Path(args.file))
        except (OSError, ValueError) as exc:
            print(f"policybot eval: {exc}", file=sys.stderr)
            return EXIT_USAGE
        reports.append(evaluate(_assistant(), rows, name=args.file))
    if args.json:
        print(report_json(reports))
    else:
        print("\n\n".join(r.as_text(misses=args.misses) for r in reports))
    return 0


# Further commands (serve, report, teams-package) register here: name -> (help, add_arguments, run).
COMMANDS: dict[str, tuple[str, Callable[[argparse.ArgumentParser], None], Callable[[argparse.Namespace], int]]] = {}


def cmd_report(args: argparse.Namespace) -> int:
    from bot.store.report_cli import run

    return run(args)


def _report_args(p: argparse.ArgumentParser) -> None:
    from bot.store.report_cli import add_arguments  # light: SQLAlchemy loads only when the report runs

    add_arguments(p)


def _purge_args(p: argparse.ArgumentParser) -> None:
    from bot.store.purge_cli import add_arguments  # light: SQLAlchemy loads only when the purge runs

    add_arguments(p)


def cmd_purge(args: argparse.Namespace) -> int:
    from bot.store.purge_cli import run

    return run(args)


def _serve_args(p: argparse.ArgumentParser) -> None:
    from adapters.serve import add_arguments

    add_arguments(p)


def cmd_serve(args: argparse.Namespace) -> int:
    from adapters.serve import run

    return run(args)


def _teams_package_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--output", "-o", default="dist/monroe-policy-assistant-teams.zip", help="where to write the zip")
    p.add_argument("--app-id", help="the bot's Microsoft App ID (default: $MicrosoftAppId)")
    p.add_argument("--host", help="the public host name serving the bot (default: from $PUBLIC_BASE_URL)")


def cmd_teams_package(args: argparse.Namespace) -> int:
    from adapters.teams.package import run

    return run(args)


def _ask_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "question",
        nargs="*",
        help='the question; omit it to read one per line from stdin (a line {"thread": "t1", "question": "..."} is a follow-up in conversation t1)',
    )
    p.add_argument("--json", action="store_true", help="print a JSON object per answer")


def _chat_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print a JSON object per answer")


def _disclaimer_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--kind", default="post", choices=["post", "profile", "blog"])
    p.add_argument("--role", help="your job title, e.g. 'Recreation Coordinator'")
    p.add_argument("--department", help="your department, e.g. 'Parks Department'")
    p.add_argument("--json", action="store_true")


def _eval_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("file", nargs="?", help='JSONL: {"q": ..., "gold": [section ids], "nlra": bool} per line')
    p.add_argument("--bank", action="store_true", help="the question bank: tuning authors, then held-out authors")
    p.add_argument("--authors", help="with --bank: only these authors, e.g. a4,a6")
    p.add_argument("--misses", action="store_true", help="list the questions answered wrongly")
    p.add_argument("--json", action="store_true")


COMMANDS.update(
    {
        "ask": ("answer a question from the policy", _ask_args, cmd_ask),
        "chat": ("a conversation at the prompt: follow-up questions read with the ones before", _chat_args, cmd_chat),
        "disclaimer": ("draft the personal-views disclaimer (§3.2)", _disclaimer_args, cmd_disclaimer),
        "sections": ("list the policy's sections", lambda p: None, cmd_sections),
        "eval": ("score the assistant on a question set", _eval_args, cmd_eval),
        "report": ("for HR: most-asked, not covered, thumbs-down answers, per channel", _report_args, cmd_report),
        "purge": ("delete answers older than POLICYBOT_RETENTION_DAYS (or --days)", _purge_args, cmd_purge),
        "serve": ("run the web service: local chat page, Slack, Teams, answer links", _serve_args, cmd_serve),
        "teams-package": ("build the Microsoft Teams app package (zip) to upload", _teams_package_args, cmd_teams_package),
    }
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="policybot", description="City of Monroe Social Media Policy assistant")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, (help_text, add_arguments, run) in COMMANDS.items():
        p = sub.add_parser(name, help=help_text, description=help_text)
        add_arguments(p)
        p.set_defaults(run=run)
    return parser


def _tolerant_stdio() -> None:
    """Bytes that are not valid in the terminal's encoding become replacement marks, never a traceback."""
    for stream, errors in ((sys.stdin, "replace"), (sys.stdout, "backslashreplace"), (sys.stderr, "backslashreplace")):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors=errors)


def main(argv: list[str] | None = None) -> int:
    from bot.settings import SettingsError, load_dotenv_file

    _tolerant_stdio()
    args = build_parser().parse_args(argv)
    try:
        load_dotenv_file()
        return args.run(args)
    except SettingsError as exc:
        print(f"policybot {args.command}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except BrokenPipeError:
        return 0
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
