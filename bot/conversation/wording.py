"""Fixed words the coach says outside the flows: welcome, privacy, menus (help is built from the
command registry in `commands`)."""

from __future__ import annotations

WELCOME = (
    "Hello. I'm the What Matters Coach.\n\n"
    "I ask short questions, one at a time, to help you think about what matters to you, "
    "what is going well and what is hard. Your answers become a draft in your own words, "
    "to take to a meeting or an assessment if you want to.\n\n"
    "Before we start:\n"
    "• I keep your answers in this coach's own database, scrambled so the file alone can't be read, "
    "until you delete them or {days} days after you last use me.\n"
    "• They are for you: they are not sent to anyone. You can see, change, take or delete them at any time.\n"
    "• This is not an assessment, and I can't decide anything about support. "
    "It is not an emergency service either: if you are in danger now, call 999.\n\n"
    "If you'd rather not go on, just stop here: type /delete and nothing is kept."
)

PRIVACY = (
    "How your answers are kept\n\n"
    "• What is stored: your answers, and which questions you have done.\n"
    "• Where: in this coach's own database, scrambled (encrypted) so the file alone can't be read.\n"
    "• For how long: until you delete them, or {days} days after you last used the coach.\n"
    "• Who can see them: only you, in this chat. Nobody else is sent your answers.\n"
    "• You can get everything with /export and erase everything with /delete.\n\n"
    "This is not an assessment and not an emergency service. "
    "If you are in danger now, call 999."
)

HELP_INTRO = "What you can type at any time:"
UNKNOWN_COMMAND = "I don't know /{name}. Type /help to see what you can do."

MENU_INTRO = "Which would you like to do? Each one takes a few minutes, and you can stop at any time."
NOTHING_TO_RESUME = "There's nothing to carry on with just now. Type /menu to choose a conversation."
WELCOME_BACK = "Welcome back. Last time you were part way through \"{title}\"."
PRIVATE_ONLY = (
    "I only work in a private chat, so that what people write stays private. "
    "Tap below to start a private chat with me."
)
NOT_TEXT = "I can only read typed messages. Could you type your answer instead?"
DELETE_ASK = (
    "This will erase everything I have stored about you: all your answers, their history "
    "and your drafts. It can't be undone. Are you sure?"
)
DELETED = "Done. Everything about you has been erased. If you type /start, we begin again from nothing."
KEPT = "Nothing has been deleted."
STALE_TAP = "That button was for an earlier question ({question}). Would you like to change that answer?"
SAVE_FAILED = (
    "Sorry, I couldn't save that just now. Nothing is lost from before. "
    "Please try sending it again in a moment."
)
SLOW_DOWN = "That's a lot of messages at once. Let's take it slowly: I'll reply again in a few seconds."
HELLO_AGAIN = "Hello again."
NOT_IN_A_CONVERSATION = "Thank you. To start a conversation, choose one below."
EDIT_LEFT_ALONE = (
    "I see you changed an earlier message. I've left your saved answers as they were. "
    "To change one, type /review."
)
OLD_BUTTON = "That button is from an earlier question. Type /resume to carry on, or /menu to choose."
TOO_LONG = "That was a long message, so I kept the first {limit} characters. You can add more after."
RESTARTED = "Starting again from the beginning. Your earlier answers are kept: see them with /review."
WHERE_YOU_WERE = "Here is where you were. Answer it below, or choose what you'd like to do."
