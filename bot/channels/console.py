"""The terminal channel: the same coach as on Telegram, typed at a prompt or piped in.

Choices in a question are numbered the way the coach understands them ("2" picks the second);
other buttons (menus, review) are numbered too, and typing the number taps the button.
Piped input (one answer per line) is echoed so the transcript reads as a conversation.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from bot.conversation.chat import Button, Incoming, Outgoing, Response
from bot.conversation.coach import Coach
from bot.conversation.reminders import previews

QUIT = ("/quit", "/exit")
NAV_HINT = "(Type your answer, or /back, /skip, /why, /pause, /help, /quit)"


class Console:
    """Runs one person's conversation on a terminal; `read` returns None at the end of input."""

    def __init__(self, coach: Coach, person: str, *, read: Callable[[str], str | None],
                 write: Callable[[str], None], echo: bool = False, files_dir: Path = Path("data/exports")) -> None:
        self.coach, self.person, self.read, self.write = coach, person, read, write
        self.echo, self.files_dir = echo, files_dir
        self.tappable: list[Button] = []
        self.previewed: set[object] = set()  # reminders already shown as what Telegram would send

    def run(self, flow_id: str | None = None) -> int:
        self.send(Incoming("command", command="start", arg=flow_id or ""))
        while True:
            line = self.read("> ")
            if line is None:
                self.write("\n(That's the end of the input. Your answers are saved: run the coach again to carry on.)")
                return 0
            if self.echo:
                self.write(f"> {line}")
            said = line.strip()
            if said.lower() in QUIT:
                self.write("Goodbye for now. Your answers are saved.")
                return 0
            self.send(self.incoming(said))

    def incoming(self, said: str) -> Incoming:
        if said.startswith("/") and len(said) > 1:
            name, _, arg = said[1:].partition(" ")
            return Incoming("command", command=name.lower(), arg=arg.strip())
        if said.isascii() and said.isdigit() and self.tappable and 1 <= int(said) <= len(self.tappable):
            return Incoming("tap", data=self.tappable[int(said) - 1].data)
        named = [b for b in self.tappable if b.label.casefold() == said.casefold()]  # the button's words typed out
        if named:
            return Incoming("tap", data=named[0].data)
        return Incoming("text", text=said)

    def send(self, incoming: Incoming) -> None:
        self.show(self.coach.handle(self.person, incoming))
        for key, preview in previews(self.coach.storage, self.person):
            if key not in self.previewed:
                self.previewed.add(key)
                self.write(f"\n{preview}")

    def show(self, response: Response) -> None:
        questions = [m for m in response.messages if m.is_question]
        self.tappable = [] if questions else [b for m in response.messages for row in m.buttons for b in row]
        number = 0
        for message in response.messages:
            if message.attachment is not None:
                self.save_file(message)
                continue
            if not message.text:
                continue  # a richer version for Telegram only (the text came with the first part)
            self.write("")
            self.write(message.text)
            if message.is_question:
                self.write(self.choices(message))
            elif message.buttons and not questions:
                for row in message.buttons:
                    for button in row:
                        number += 1
                        self.write(f"  {number}. {button.label}")
        if self.tappable:
            self.write("(Type a number to choose.)")

    @staticmethod
    def choices(message: Outgoing) -> str:
        """Number the options the way the coach reads typed numbers; Done and 'other' become hints."""
        values = [(b.label, b.data.rsplit(":", 1)[-1]) for row in message.buttons for b in row]
        answers = [label for label, value in values if not value.startswith("~") and value not in ("done", "other")]
        if answers == ["Yes", "No"]:
            return "\n".join(["(Type yes or no.)", NAV_HINT])
        lines = [] if all(label.isdigit() for label in answers) else [
            f"  {i}. {label}" for i, label in enumerate(answers, start=1)]
        if any(value == "done" for _, value in values) and lines:
            lines.append("(Choose all that fit: type their numbers, like 1, 3.)")
        if any(value == "other" for _, value in values):
            lines.append("(Or type your own answer.)")
        return "\n".join([*lines, NAV_HINT])

    def save_file(self, message: Outgoing) -> None:
        assert message.attachment is not None
        self.files_dir.mkdir(parents=True, exist_ok=True)
        path = self.files_dir / message.attachment.filename
        path.write_bytes(message.attachment.content)
        self.write(f"\nSaved {message.attachment.caption or 'a file'} to {path}")
