"""Review, change, hide and delete answers; show the draft; export files.

Called by the conversation for /review, /summary, /export and their buttons.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot import engine
from bot.conversation.chat import Button, Outgoing, Response
from bot.conversation.drafts import answers_in_use, card_messages, chart, draft_files, draft_messages, person_profile

if TYPE_CHECKING:
    from bot.conversation.coach import Coach

PAGE = 6
_button = Button


def _short(text: str, limit: int = 28) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def review(coach: Coach, person: str, arg: str, response: Response, page: int = 0) -> None:
    """List answers a page at a time, each with a button to act on it."""
    answers = [a for a in answers_in_use(coach, person) if not a.question_id.startswith("reflect.")]
    if not answers:
        response.say("You haven't answered anything yet. Type /menu to start.")
        return
    page = min(max(page, 0), (len(answers) - 1) // PAGE)  # an old "More answers" button after deletions
    chunk = answers[page * PAGE : (page + 1) * PAGE]
    lines = [f"Your answers ({page * PAGE + 1}–{page * PAGE + len(chunk)} of {len(answers)}). "
             "Tap one to change, hide or delete it."]
    rows = []
    for index, stored in enumerate(chunk, start=page * PAGE + 1):
        hidden = " (hidden from your draft)" if stored.hidden else ""
        lines.append(f"\n{index}. {stored.asked}\n→ {stored.answer.display}{hidden}")
        rows.append((_button(f"{index}. {_short(stored.answer.display)}", f"r:v:{stored.id}"),))
    if (page + 1) * PAGE < len(answers):
        rows.append((_button("More answers", f"r:p:{page + 1}"),))
    response.say("\n".join(lines), *rows)


def summary(coach: Coach, person: str, arg: str, response: Response) -> None:
    """The whole draft, from every conversation, with a chart of the scales if there are any."""
    profile = person_profile(coach, person)
    response.messages += draft_messages(profile)
    image = chart(profile)
    if image is not None:
        response.messages.append(Outgoing(attachment=image))
    response.say("To change anything, type /review. For a file to keep or share, type /export.")


def card(coach: Coach, person: str, arg: str, response: Response) -> None:
    """The one-screen meeting card: what matters most, the hardest things, my questions."""
    response.messages += card_messages(person_profile(coach, person))


def export(coach: Coach, person: str, arg: str, response: Response) -> None:
    files = draft_files(coach, person, arg or "pdf")
    if not files:
        response.say("There's nothing to export yet. Type /menu to start a conversation.")
        return
    for attachment in files:
        response.messages.append(Outgoing(attachment=attachment))
    if not arg or arg == "pdf":
        response.say("Would you like it in other forms too?",
                     (_button("As text (Markdown)", "r:e:md"), _button("All my data (JSON)", "r:e:json")))


def tap(coach: Coach, person: str, parts: tuple[str, ...], response: Response) -> None:
    """Buttons from /review: v(iew), c(hange), h(ide), x (delete), p(age), e(xport)."""
    action = parts[0] if parts else ""
    arg = parts[1] if len(parts) > 1 else ""
    if action == "p" and arg.isascii() and arg.isdigit():
        review(coach, person, "", response, int(arg))
        return
    if action == "e":
        export(coach, person, arg, response)
        return
    if action == "ok":
        response.say("Thank you. Type /menu for another conversation, or /export for a file.")
        return
    found = {str(a.id): a for a in coach.storage.answers(person)}.get(arg)
    if found is None:
        response.say("I couldn't find that answer. Type /review to see them all.")
        return
    if action == "v":
        hide = "Show in my draft" if found.hidden else "Hide from my draft"
        response.say(f"{found.asked}\n→ {found.answer.display}",
                     (_button("Change it", f"r:c:{found.id}"), _button(hide, f"r:h:{found.id}")),
                     (_button("Delete it", f"r:x:{found.id}"), _button("Back to the list", "r:p:0")))
    elif action == "h":
        coach.storage.set_hidden(person, found.id, not found.hidden)
        response.say("Shown in your draft again." if found.hidden else "Hidden. It stays saved but not in your draft.")
    elif action == "x":
        coach.storage.delete_answer(person, found.id)
        forget(coach, person, found.session_id, found.node_id)
        response.say("Deleted. That answer and its history are gone.")
    elif action == "c":
        change(coach, person, found.session_id, found.node_id, response)


def forget(coach: Coach, person: str, session_id: str, node_id: str) -> None:
    """Take a deleted answer out of its conversation's saved state too, so no copy is left."""
    found = coach.storage.session(session_id)
    if found is None or node_id not in found[1].answers:
        return
    state = found[1]
    del state.answers[node_id]
    coach.storage.save_turn(person, session_id, state, (), now=coach.clock())


def change(coach: Coach, person: str, session_id: str, node_id: str, response: Response) -> None:
    """Go to an earlier answer (in any of the person's conversations) to change it."""
    found = coach.storage.session(session_id)
    if found is None or found[0]["flow_id"] not in coach.content.flows:
        response.say("That conversation is no longer available, so I can't change this answer.")
        return
    coach.update_settings(person, session=session_id)
    coach.step(person, engine.edit(node_id), response, None)


def end_of_flow(coach: Coach, person: str, session_id: str, response: Response) -> None:
    """'Here is what I've written — is it right?' with ways to change it."""
    response.say("Here is what I've written, in your words. Is it right?")
    response.messages += draft_messages(person_profile(coach, person, session_id=session_id))
    found = coach.storage.session(session_id)
    if found and found[0]["flow_id"] == "meeting":
        response.messages += card_messages(person_profile(coach, person))
    response.say("You can change anything.",
                 (_button("Yes, that's right", "r:ok"), _button("Change something", "r:p:0")))
