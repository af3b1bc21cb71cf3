"""The `coach` command: thin wrappers that call the library and turn errors into exit codes.

Commands that run a coach (`run`, `chat`, `telegram`) and `rotate-key` hold the database's lock, so a
second one on the same database is refused; the tools that only read it, or write one transaction
(`profile`, `purge`), and those that never open it (`validate`, `flows`, `graph`, `check-*`) do not.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from bot.content.model import Content
from bot.conversation.coach import Coach
from bot.errors import CoachError, ContentError
from bot.settings import Settings, load_settings
from bot.store.storage import Storage

EXAMPLES = """examples:
  coach run                          Telegram if TELEGRAM_BOT_TOKEN is set, else the terminal
  coach chat --flow example --as sam a conversation in the terminal
  printf '7\\nmy garden\\n' | coach chat --flow example   answers piped in, one per line
  coach validate flows/my_flow.yaml  check content and list every problem
  coach flows                        what conversations there are
  coach graph example > example.mmd  a Mermaid diagram of a flow
  coach rotate-key                   re-encrypt everything under a new key (stop the coach first)
  coach reminders --due-before 2026-12-01T09:00   what reminders would be sent by then
"""


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 0
    try:
        settings = load_settings()
        logging.basicConfig(level=settings.log_level, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        code: int = args.handler(args, settings)
        return code
    except ContentError as exc:
        print(exc, file=sys.stderr)
        print(f"{len(exc.problems)} problem(s) found; the coach cannot start until they are fixed.", file=sys.stderr)
        return 1
    except CoachError as exc:
        print(f"coach: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nStopped. Answers are saved.", file=sys.stderr)
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="coach", description="What Matters Coach: strengths-based questions and a draft in your own words.",
        epilog=EXAMPLES, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")

    run = commands.add_parser("run", help="Telegram when TELEGRAM_BOT_TOKEN is set, otherwise the terminal")
    run.set_defaults(handler=cmd_run)

    chat = commands.add_parser("chat", help="talk to the coach in the terminal (or pipe answers in)")
    chat.add_argument("--flow", help="start (or carry on) this flow; see `coach flows`")
    chat.add_argument("--as", dest="name", default="me", help="who is talking (each name has its own answers)")
    chat.set_defaults(handler=cmd_chat)

    telegram = commands.add_parser("telegram", help="run the Telegram bot (needs TELEGRAM_BOT_TOKEN)")
    telegram.set_defaults(handler=cmd_telegram)

    validate = commands.add_parser("validate", help="check flows and question banks; list every problem")
    validate.add_argument("paths", nargs="*", type=Path, help="extra files or folders to check with the shipped ones")
    validate.set_defaults(handler=cmd_validate)

    flows = commands.add_parser("flows", help="list the conversations, who they are for and how long they take")
    flows.set_defaults(handler=cmd_flows)

    check = commands.add_parser("check-question", help="feedback on a question a practitioner wrote")
    check.add_argument("text")
    check.add_argument("--json", action="store_true", help="print the verdict as JSON")
    check.set_defaults(handler=cmd_check_question)

    safety = commands.add_parser("check-safety", help="test the safety net's configuration on a message")
    safety.add_argument("text")
    safety.add_argument("--json", action="store_true", help="print the result as JSON")
    safety.add_argument("--practice", action="store_true", help="read it as typed by a practitioner in practice mode")
    safety.set_defaults(handler=cmd_check_safety)

    profile = commands.add_parser("profile", help="render a person's draft profile from the terminal")
    profile.add_argument("--as", dest="name", default="me", help="whose profile (the name used with `coach chat`)")
    profile.add_argument("--format", choices=("text", "pdf", "md", "json", "png"), default="text")
    profile.add_argument("-o", "--output", type=Path, help="write to this file (needed for pdf and png)")
    profile.add_argument("--notes", action="store_true",
                         help="put my notes (private preparation) in a pdf or md file too; text always shows them")
    profile.set_defaults(handler=cmd_profile)

    purge = commands.add_parser("purge", help="erase everyone untouched for COACH_RETENTION_DAYS days")
    purge.add_argument("--days", type=int, help="use this many days instead of COACH_RETENTION_DAYS")
    purge.set_defaults(handler=cmd_purge)

    graph = commands.add_parser("graph", help="print a flow as a Mermaid diagram")
    graph.add_argument("flow")
    graph.set_defaults(handler=cmd_graph)

    reminders = commands.add_parser("reminders", help="list the reminders due before a time (ids and times only)")
    reminders.add_argument("--due-before", required=True, metavar="ISO_TIME",
                           help="e.g. 2026-12-01T09:00 (UTC unless it names its zone, like +01:00)")
    reminders.add_argument("--json", action="store_true", help="print them as JSON")
    reminders.set_defaults(handler=cmd_reminders)

    rotate = commands.add_parser("rotate-key", help="re-encrypt the database under a new key (stop the coach first)")
    rotate.set_defaults(handler=cmd_rotate_key)
    return parser


# ----- commands -----


def cmd_run(args: argparse.Namespace, settings: Settings) -> int:
    if settings.telegram_bot_token:
        return cmd_telegram(args, settings)
    print(f"No TELEGRAM_BOT_TOKEN set, so the coach runs here in the terminal (answers saved in {settings.db_path}).")
    args.flow, args.name = None, "me"
    return cmd_chat(args, settings)


def cmd_chat(args: argparse.Namespace, settings: Settings) -> int:
    from bot.channels.console import Console

    # the safety net's "help shown" lines are for a server's operator (the event is in the database);
    # here they would land in the middle of the person's own conversation
    logging.getLogger("bot.conversation.safety_net").setLevel(logging.ERROR)
    coach = _coach(settings, exclusive=True)
    if args.flow and args.flow not in coach.content.flows:
        from bot.content.report import did_you_mean

        known = coach.content.flows
        print(f"coach: there is no flow '{args.flow}'{did_you_mean(args.flow, known)}. Try `coach flows`.",
              file=sys.stderr)
        return 2
    piped = not sys.stdin.isatty()
    console = Console(coach, f"cli:{args.name}", read=_reader(piped), write=print, echo=piped)
    try:
        return console.run(args.flow)
    finally:
        coach.storage.close()


def cmd_telegram(args: argparse.Namespace, settings: Settings) -> int:
    if not settings.telegram_bot_token:
        print("coach: TELEGRAM_BOT_TOKEN is not set. Put your token from @BotFather in .env.", file=sys.stderr)
        return 2
    from bot.channels.telegram import check_telegram, run_telegram

    check_telegram(settings)  # a bad token is one line, before any database or key file is touched
    coach = _coach(settings, exclusive=True)
    run_telegram(coach, settings)
    return 0


def cmd_validate(args: argparse.Namespace, settings: Settings) -> int:
    missing = [p for p in args.paths if not p.exists()]
    if missing:
        print(f"coach: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return 2
    try:
        content = _load_content(settings, args.paths)
    except ContentError as exc:
        print(exc)
        print(f"{len(exc.problems)} problem(s) found.")
        return 1
    print(f"All good: {len(content.questions)} questions and {len(content.flows)} flows checked, no problems.")
    return 0


def cmd_flows(args: argparse.Namespace, settings: Settings) -> int:
    from bot.content.model import AUDIENCE_LABELS

    content = _load_content(settings)
    for flow in sorted(content.listed_flows(), key=lambda f: (list(AUDIENCE_LABELS).index(f.audience), f.id)):
        print(f"{flow.id:<20} {AUDIENCE_LABELS[flow.audience]:<20} about {flow.minutes:>2} min  {flow.title}")
    return 0


def cmd_graph(args: argparse.Namespace, settings: Settings) -> int:
    from bot.content.graph import mermaid
    from bot.content.report import did_you_mean

    content = _load_content(settings)
    flow = content.flows.get(args.flow)
    if flow is None:
        print(f"coach: there is no flow '{args.flow}'{did_you_mean(args.flow, content.flows)}", file=sys.stderr)
        return 2
    print(mermaid(flow), end="")
    return 0


def cmd_check_question(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from bot.practice.checker import check_question, format_verdict

    verdict = check_question(args.text)
    print(json.dumps(verdict.to_json(), ensure_ascii=False, indent=2) if args.json else format_verdict(verdict))
    return 0


def cmd_check_safety(args: argparse.Namespace, settings: Settings) -> int:
    import json

    from bot.safety import safety_warning
    from bot.safety.help import help_text, load_resources, safety_message
    from bot.safety.risk import check_safety

    warning = safety_warning()
    if warning:
        print(warning, file=sys.stderr)
    check = check_safety(args.text, practice=args.practice)
    if args.json:
        print(json.dumps(check.to_json()))
    elif check.band == "signpost":
        print(f"Risk: {check.category} (found by {check.fired})\n\nThe person would see:\n\n"
              f"{safety_message(check, load_resources(settings.safety_resources))}")
    elif check.band == "check_in":
        print(f"Perhaps: {check.category} (found by {check.fired})\n\nThe person would be asked: "
              "\"I want to be sure I understood you. Are you safe right now?\" If not, they would see:\n\n"
              f"{help_text(load_resources(settings.safety_resources))}")
    else:
        print("No risk found in that message.")
    return 0


def cmd_profile(args: argparse.Namespace, settings: Settings) -> int:
    from bot.conversation.drafts import draft_files, person_profile, read_person
    from bot.profile import render_markdown, render_text
    from bot.store.storage import now_utc

    coach = _coach(settings, exclusive=False)
    try:
        data = read_person(coach.storage, f"cli:{args.name}")
        profile = person_profile(data, coach.content, now_utc())
        if args.format == "text":
            output = render_text(profile).encode()
        elif args.format == "md" and args.notes and not profile.empty:
            output = render_markdown(profile, notes=True).encode()
        else:
            fmt = "notes" if args.format == "pdf" and args.notes else args.format
            files = draft_files(data, coach.content, now_utc(), fmt)
            if not files:
                print(f"coach: there is nothing in {args.name}'s draft yet.", file=sys.stderr)
                return 1
            output = files[0].content
        if args.output is None:
            if args.format in ("pdf", "png"):
                print(f"coach: a {args.format} file needs -o FILE", file=sys.stderr)
                return 2
            print(output.decode())
            return 0
        args.output.write_bytes(output)
        print(f"Wrote {args.output}")
        return 0
    finally:
        coach.storage.close()


def cmd_purge(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store.retention import purge
    from bot.store.storage import now_utc

    days = settings.retention_days if args.days is None else args.days
    if days < 1:
        print("coach: --days must be at least 1", file=sys.stderr)
        return 2
    storage = _storage(settings, exclusive=False)
    try:
        erased = purge(storage, now_utc(), days)
    finally:
        storage.close()
    print(f"Erased {erased} {'person' if erased == 1 else 'people'} untouched for {days} days or more.")
    return 0


def cmd_reminders(args: argparse.Namespace, settings: Settings) -> int:
    import json
    from datetime import UTC, datetime

    from bot.conversation.reminders import sends_at
    from bot.store.reminders import Reminders

    try:
        before = datetime.fromisoformat(args.due_before)
    except ValueError:
        print(f"coach: --due-before needs a time like 2026-12-01T09:00, not '{args.due_before}'", file=sys.stderr)
        return 2
    before = before if before.tzinfo else before.replace(tzinfo=UTC)
    storage = _storage(settings, exclusive=False)
    try:
        due = Reminders(storage).pending_before(before)
    finally:
        storage.close()
    rows = [{"id": r.id, "kind": r.kind, "due_at": r.due_at.isoformat(), "zone": r.zone,
             "sends_at": sends_at(r.due_at, r.zone).isoformat()} for r in due]
    if args.json:
        print(json.dumps(rows, indent=2))
        return 0
    print(f"{len(rows)} reminder{'' if len(rows) == 1 else 's'} due before {before.isoformat()}"
          + (":" if rows else "."))
    for row in rows:
        late = "" if row["sends_at"] == row["due_at"] else f" (sent at {row['sends_at']}, after quiet hours)"
        print(f"  #{row['id']:<5} {row['due_at']}  {row['kind']:<8} {row['zone']}{late}")
    return 0


def cmd_rotate_key(args: argparse.Namespace, settings: Settings) -> int:
    from bot.store.keys import new_key, rotate_key

    key = new_key()
    if settings.secret_key:
        print("The new key is on the next line. Once this command says Done, set COACH_SECRET_KEY to it and keep a "
              "copy somewhere safe; if it does not say Done, nothing changed.")
        print(key.decode("ascii"))
    done = rotate_key(settings.db_path, key, secret_key=settings.secret_key, key_file=settings.key_file,
                      key_dir=settings.key_dir)
    where = "COACH_SECRET_KEY must now be the key above" if done.key_file is None else f"{done.key_file} holds it"
    print(f"Done: {done.values} encrypted values moved to the new key; {where}. Back it up: the old key no longer "
          f"opens {settings.db_path}.")
    return 0


# ----- helpers -----


def _load_content(settings: Settings, extra: Sequence[Path] = ()) -> Content:
    """The content, checked against Telegram's limits whichever channel runs: what works here works there."""
    from bot.channels.telegram.limits import CONTENT
    from bot.content.loader import load_content

    return load_content(settings.banks_dir, settings.flows_dir, extra, limits=CONTENT)


def _storage(settings: Settings, *, exclusive: bool) -> Storage:
    """The database with its key; `exclusive` for a running coach (a second one is refused)."""
    from bot.store.keys import open_storage

    return open_storage(settings.db_path, secret_key=settings.secret_key, key_file=settings.key_file,
                        key_dir=settings.key_dir, exclusive=exclusive)


def _coach(settings: Settings, *, exclusive: bool) -> Coach:
    from bot.safety.help import load_resources

    content = _load_content(settings)
    storage = _storage(settings, exclusive=exclusive)
    resources = load_resources(settings.safety_resources)
    _warn_if_patterns_only()
    return Coach(content, storage, retention_days=settings.retention_days, resources=resources)


def _warn_if_patterns_only() -> None:
    """Say loudly, at start, when the safety net runs without its classifier."""
    from bot.safety import safety_warning

    warning = safety_warning()
    if warning:
        print(f"coach: {warning}", file=sys.stderr)


def _reader(piped: bool) -> Callable[[str], str | None]:
    def read(prompt: str) -> str | None:
        if piped:
            line = sys.stdin.readline()
            return line.rstrip("\n") if line else None
        try:
            return input(prompt)
        except EOFError:
            return None

    return read
