"""The safety net's glue: every message passes here first, in any state, before anything else.

Typed words are checked (`bot.safety.check_safety`; in practice mode with `practice=True`, so a
practitioner's question *about* risk is not taken as a disclosure). The check's band decides:

- **signpost**: the help card at once (999 first for danger), with Pause / Carry on.
- **check_in**: a gentle question in the coach's own voice, "Are you safe right now?", with
  "I'm OK, carry on" / "Not really" / "Show me where to get help". The last two, a typed "no"
  or "not sure", and a typed reply that is itself risky all lead to the help (the general help,
  led by the named category's lines if there is one). Any other reply carries on. It is asked once
  per message and never loops: its reply is never checked in again, and a tap on an old
  check-in changes nothing (though "help" from any old button still shows the help).

Each signpost and check-in is noted in the person's state: when, the band and the category,
never the words (`PersonState.safety_events`), so /help shows the help first from then on and
the drafts can point to support (`PersonData.safety_events`). Nothing here logs the words.

What happens to the words (nothing typed is silently lost, nothing is silently kept):

- **check_in**: the words are an answer like any other. If they answer the question being asked
  they are saved as normal (the person sees the usual "✓"), and the check-in follows; what
  comes next in the conversation waits until they reply. /review changes or deletes them.
- **signpost**: the words are held back, not saved, and the person is asked under the card:
  "Would you like me to keep it as your answer?" (only when they would be an answer: not
  chit-chat, not a word that doesn't fit a choice). They are held, encrypted in the person's
  settings and included in "all my data", only until the person's next message: "Yes, keep it"
  or a typed "yes" saves them as the answer; "No, leave it out" or a typed "no" discards them;
  anything else (another answer, Pause, a command that moves on) discards them and says so in
  one line. Commands that only look (/help, /review, ...: `LOOK_ONLY`) leave them, and a
  check-in, waiting. A typed "yes" after the card is never saved in place of what they wrote.
- **coming back after a break** (`flows.welcome_back`) holds a first message by the same rule,
  except that the question is shown again at once, so a typed reply is simply the answer.

Why held rather than kept for a signpost: words that call for the help card are often not an
answer to the question (a name, a best hope), and saving them unasked would put them in a draft
the person may show others. Why kept for a check-in: the check-in is for messages that are
probably an ordinary answer; holding every one back would lose answers.
"""

from __future__ import annotations

import logging

import bot.conversation.buttons as buttons
import bot.conversation.flows as flows
import bot.conversation.wording as wording
from bot import engine
from bot.conversation.chat import Button
from bot.conversation.context import Context
from bot.conversation.flood import MAX_MESSAGE_CHARS, clip
from bot.conversation.person import CheckIn, HeldMessage, SafetyEvent, new_token
from bot.engine.parsing import normalise, parse_yes_no
from bot.safety import CATEGORIES, SafetyCheck, check_safety, help_text, safety_message

log = logging.getLogger(__name__)

# Commands that only look: a check-in or held words wait through them for the person's reply.
LOOK_ONLY = frozenset({"help", "privacy", "export", "review", "summary", "card"})
# Replies to "Are you safe right now?", as whole words (apostrophes dropped): unsure or not safe
# gets the help; safe carries on; otherwise a "no" gets the help and anything else carries on.
UNSURE = ("not sure", "dont know", "dunno", "idk", "maybe", "not safe", "not ok", "not okay", "not fine",
          "not alright", "not really", "not great", "kind of", "sort of", "help")
SAFE = ("yes", "ok", "okay", "fine", "safe", "alright", "all right", "all good")
OK_LABEL, NO_LABEL, HELP_LABEL = "I'm OK, carry on", "Not really", "Show me where to get help"
KEEP_LABEL, DROP_LABEL = "Yes, keep it as my answer", "No, leave it out"


def intercept(ctx: Context) -> bool:
    """Look at the message before anything else. True if the safety net has answered it."""
    incoming = ctx.incoming
    waiting, ctx.state.check_in = ctx.state.check_in, None  # asked once: the next message settles it
    if incoming.kind == "command" and incoming.arg.strip():
        _command_words(ctx)
    if (incoming.kind == "tap" and buttons.decode(incoming.data).kind == buttons.SAFETY) or _looks(ctx):
        ctx.state.check_in = waiting  # a safety tap decides itself (see `tap`); a look changes nothing
        return False
    check = _check(ctx, incoming.text) if incoming.kind in ("text", "edit") and incoming.text.strip() else None
    if check is not None and _band(check) == "check_in" and waiting is None:
        _check_in(ctx, check)
    elif check is not None and _band(check) != "none":  # a risky reply to a check-in gets help, never a check-in
        _signpost(ctx, check, reply=waiting is not None)
    elif waiting is not None and incoming.kind == "text":
        _reply_to_check_in(ctx, waiting)
    else:
        return _settle_held(ctx)
    if incoming.key:
        ctx.mark_handled()
    return True


def tap(ctx: Context, parts: tuple[str, ...]) -> None:
    """The buttons under a help card, a check-in or held words (`buttons.safety`)."""
    action, token = (parts[0] if parts else ""), (parts[1] if len(parts) > 1 else "")
    held, waiting = ctx.state.held, ctx.state.check_in
    current = waiting is not None and waiting.token == token
    if action in ("no", "help"):  # help is never refused, even from an old button
        ctx.state.check_in = None
        if current:
            ctx.response.edit = f"{wording.CHECK_IN}\n\n✓ {NO_LABEL if action == 'no' else HELP_LABEL}"
        _check_in_help(ctx, waiting if current and waiting else CheckIn(token))
    elif action == "ok":
        if not current or waiting is None:
            ctx.response.ack = "Thank you"  # an old check-in: nothing changes
            return
        ctx.state.check_in = None
        ctx.response.edit = f"{wording.CHECK_IN}\n\n✓ {OK_LABEL}"
        _carry_on(ctx, waiting)
    elif action in ("keep", "drop"):
        if held is None or held.token != token:
            ctx.response.ack = "That was an earlier message"
            ctx.say(wording.HELD_GONE)
        elif action == "keep":
            _keep(ctx, held)
        else:
            _leave_out(ctx, held)
    elif action == "pause":
        _drop_held(ctx)
        flows.step(ctx, engine.command("pause"), handled=False)
    else:
        _drop_held(ctx)
        ctx.say(wording.CARRY_ON)
        flows.repeat_question(ctx)


# ----- the two bands -----


def _signpost(ctx: Context, check: SafetyCheck, *, reply: bool) -> None:
    """The help card. Words that would answer the question are held for the person to decide
    about (not a reply to a check-in: the question it follows has not been shown yet)."""
    token = _note(ctx, "signpost", check.category)
    incoming, held = ctx.incoming, ctx.state.held
    words = incoming.text
    if held is not None and held.session == ctx.state.session:
        words = f"{held.text}\n\n{words}"  # everything written since the last choice
    if not reply and _answers_question(ctx, words):
        ctx.state.held = HeldMessage(_clipped(ctx, words), "safety", token, ctx.state.session)
        ctx.say(safety_message(check, ctx.resources), (Button("Pause for now", buttons.safety("pause", token)),))
        ctx.say(wording.HELD_ASK, (Button(KEEP_LABEL, buttons.safety("keep", token)),
                                   Button(DROP_LABEL, buttons.safety("drop", token))))
        return
    ctx.say(safety_message(check, ctx.resources), (Button("Pause for now", buttons.safety("pause", token)),
                                                   Button("Carry on", buttons.safety("go", token))))
    _drop_held(ctx)
    current = ctx.current
    if incoming.kind == "edit" and current is not None and incoming.ref and current.state.last_ref == incoming.ref:
        ctx.say(wording.EDIT_NOT_USED)


def _command_words(ctx: Context) -> None:
    """Words typed after a command ("/check ..."): the help card first if they are clearly risky,
    then the command runs as usual."""
    check = _check(ctx, ctx.incoming.arg)
    if _band(check) == "signpost":
        token = _note(ctx, "signpost", check.category)
        ctx.say(safety_message(check, ctx.resources), (Button("Pause for now", buttons.safety("pause", token)),
                                                       Button("Carry on", buttons.safety("go", token))))


def _check_in(ctx: Context, check: SafetyCheck) -> None:
    """Save the words as normal if they answer the question, then ask whether they are safe;
    the conversation's next step waits for the reply."""
    token = _note(ctx, "check_in", check.category)
    _drop_held(ctx)
    ended = False
    if _answers_question(ctx, ctx.incoming.text):
        words = _clipped(ctx, ctx.incoming.text)
        flows.step(ctx, engine.text(words), handled=True, ref=ctx.incoming.ref, quiet=True)
        ended = ctx.current is not None and ctx.current.finished
    elif ctx.incoming.kind == "edit":
        flows.edited(ctx)
    ctx.state.check_in = CheckIn(token, check.category, check.categories, ended)
    ctx.say(wording.CHECK_IN, (Button(OK_LABEL, buttons.safety("ok", token)),),
            (Button(NO_LABEL, buttons.safety("no", token)), Button(HELP_LABEL, buttons.safety("help", token))))


def _reply_to_check_in(ctx: Context, waiting: CheckIn) -> None:
    """A typed reply (not itself risky): "no" or "not sure" gets the help; anything else carries on."""
    if _safe_reply(ctx.incoming.text):
        _carry_on(ctx, waiting)
    else:
        _check_in_help(ctx, waiting)


def _check_in_help(ctx: Context, waiting: CheckIn) -> None:
    """The help after a check-in: led by the category's lines if one was named, then the rest."""
    _note(ctx, "signpost", waiting.category)
    if waiting.category:
        others = tuple(c for c in CATEGORIES if c not in (waiting.category, *waiting.categories))
        check = SafetyCheck(True, waiting.category, (waiting.category, *waiting.categories, *others), "signpost")
        words = safety_message(check, ctx.resources)
    else:
        words = f"{wording.CHECK_IN_HELP}\n\n{help_text(ctx.resources)}"
    ctx.say(words, (Button("Pause for now", buttons.safety("pause", waiting.token)),
                    Button("Carry on", buttons.safety("go", waiting.token))))


def _carry_on(ctx: Context, waiting: CheckIn) -> None:
    ctx.say(wording.CHECK_IN_THANKS)
    current = ctx.current
    if ctx.state.practice is None and current is not None and current.asking:
        flows.repeat_question(ctx)
    elif ctx.state.practice is None and current is not None and waiting.ended and current.finished:
        flows.end_of_flow(ctx)
    else:
        ctx.say(wording.READY_TO_PRACTISE if ctx.state.practice is not None else wording.READY_WHEN_YOU_ARE)


# ----- held words -----


def _settle_held(ctx: Context) -> bool:
    """The message after words were held decides about them. True if it was only that decision."""
    held, incoming = ctx.state.held, ctx.incoming
    if held is None:
        return False
    if incoming.kind == "text" and held.reason == "safety":
        verdict = parse_yes_no(incoming.text)
        if verdict is not None:
            if verdict:
                _keep(ctx, held)
            else:
                _leave_out(ctx, held)
            return True
    _drop_held(ctx)
    return False


def _keep(ctx: Context, held: HeldMessage) -> None:
    ctx.state.held = None
    current = ctx.current
    if current is None or held.session not in (None, current.id) or not current.asking:  # None: held before 2026-11
        ctx.say(wording.HELD_GONE)
        return
    ctx.say(wording.HELD_KEPT)
    flows.step(ctx, engine.text(held.text), handled=True)


def _leave_out(ctx: Context, held: HeldMessage) -> None:
    ctx.state.held = None
    if ctx.incoming.kind == "tap":
        ctx.response.edit = f"{wording.HELD_ASK}\n\n✓ {DROP_LABEL}"
    ctx.say(wording.HELD_LEFT_OUT)
    flows.repeat_question(ctx)
    if ctx.incoming.key:
        ctx.mark_handled()


def _drop_held(ctx: Context) -> None:
    """The person moved on without choosing to keep held words: they go, and the person is told."""
    if ctx.state.held is not None:
        ctx.state.held = None
        ctx.say(wording.HELD_DROPPED)


# ----- helpers -----


def _answers_question(ctx: Context, text: str) -> bool:
    """Typed words that would be saved as an answer to the question being asked."""
    return ctx.incoming.kind == "text" and ctx.state.practice is None and flows.is_answer(ctx, text)


def _check(ctx: Context, text: str) -> SafetyCheck:
    """In practice mode a practitioner's question about risk is not a disclosure (a first-person one still is)."""
    return check_safety(text, practice=ctx.state.practice is not None)


def _looks(ctx: Context) -> bool:
    return ctx.incoming.kind == "command" and ctx.incoming.command in LOOK_ONLY


def _clipped(ctx: Context, text: str) -> str:
    """Words as an answer keeps them: at most MAX_MESSAGE_CHARS (saying so if cut)."""
    kept, cut = clip(text)
    if cut:
        ctx.say(wording.TOO_LONG.format(limit=f"{MAX_MESSAGE_CHARS:,}"))
    return kept


def _band(check: SafetyCheck) -> str:
    return "signpost" if check.risk and check.band == "none" else check.band


def _safe_reply(text: str) -> bool:
    said = " " + " ".join(normalise(text).replace("'", "").replace(",", " ").split()) + " "
    if any(f" {phrase} " in said for phrase in UNSURE):
        return False
    return any(f" {phrase} " in said for phrase in SAFE) or parse_yes_no(text) is not False


def _note(ctx: Context, band: str, category: str | None) -> str:
    """Record that the safety net stepped in (never the words); a token for its buttons."""
    log.warning("safety %s shown (category %s)", band.replace("_", "-"), category)
    ctx.state.note_safety(SafetyEvent(ctx.now.isoformat(), band, category))
    return new_token()
