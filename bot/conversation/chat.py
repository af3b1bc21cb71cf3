"""What a channel hands the coach (`Incoming`) and what it gets back (`Response`).

Plain data with no channel in it: the Telegram and terminal channels each turn these into
their own messages. `Outgoing.text` is plain text (a channel escapes it as it needs);
`Outgoing.html` is optional ready-made Telegram HTML for richer output such as the profile.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Incoming:
    """What arrived: typed `text`, a `/command` with `arg`, a button `data` tap, an edited
    message (`edit`, with its new text) or something that is not text (`other`, text names it)."""

    kind: str  # text | command | tap | edit | other
    text: str = ""
    command: str = ""
    arg: str = ""
    data: str = ""
    key: str | None = None  # for de-duplicating repeated deliveries
    ref: str | None = None  # the channel's id for the person's message, so an edit can find its answer


@dataclass(frozen=True)
class Button:
    label: str
    data: str


@dataclass(frozen=True)
class Attachment:
    filename: str
    content: bytes
    caption: str = ""
    image: bool = False


@dataclass(frozen=True)
class Outgoing:
    """One message to show: text with rows of buttons, or a file."""

    text: str = ""
    html: str = ""
    buttons: tuple[tuple[Button, ...], ...] = ()
    attachment: Attachment | None = None
    is_question: bool = False


@dataclass
class Response:
    """Messages to send, plus for a tap: `ack` (a short pop-up) and `edit` (new plain text for
    the tapped message, shown without its keyboard)."""

    messages: list[Outgoing] = field(default_factory=list)
    ack: str | None = None
    edit: str | None = None
    repeated: bool = False  # this message was handled before (delivered again after a crash)

    def say(self, text: str, *rows: tuple[Button, ...]) -> None:
        self.messages.append(Outgoing(text=text, buttons=tuple(rows)))
