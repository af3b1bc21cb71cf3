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
    "• If something you write worries me, I show you where to get help. I note that I did, "
    "with the date and the kind of worry but never your words, so that /help shows that help first.\n"
    "• If I hold back what you wrote (after that help, or when you come back after a break), "
    "it is kept only until you answer or move on, and saved as your answer only if you choose.\n"
    "• If you ask for a reminder, I keep when to send it until it is sent or you cancel it. "
    "The note never shows your answers.\n"
    "• Where: in this coach's own database, scrambled (encrypted) so the file alone can't be read.\n"
    "• For how long: until you delete them, or {days} days after you last used the coach.\n"
    "• Who can see them: only you, in this chat. Nobody else is sent your answers.\n"
    "• You can get everything with /export json and erase everything with /delete.\n\n"
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
DELETED_LATER = (
    "Done. Everything about you has been erased and can't be seen or used. The last copy leaves "
    "the disk the next time the coach starts. If you type /start, we begin again from nothing."
)
CHAT_STILL_SHOWS = (
    "On Telegram, the chat on your phone still shows our conversation. To clear it, open this chat, "
    "tap my name or the ⋮ menu, then choose \"Clear history\" or \"Delete chat\"."
)
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

# ----- the safety net (safety_net.py) -----
CHECK_IN = "I want to be sure I understood you. Are you safe right now?"
CHECK_IN_THANKS = "Thank you for letting me know."
CHECK_IN_HELP = "Thank you for telling me. You don't have to deal with this on your own."
READY_WHEN_YOU_ARE = "Carry on whenever you're ready. Type /menu to choose a conversation."
READY_TO_PRACTISE = "Carry on with your practice whenever you're ready."
HELD_ASK = "I haven't saved what you wrote as an answer. Would you like me to keep it as your answer?"
HELD_KEPT = "I've saved what you wrote as your answer. You can change or delete it with /review."
HELD_LEFT_OUT = "I've left it out. It isn't kept anywhere."
HELD_DROPPED = "I haven't kept what you wrote earlier."
HELD_GONE = "Those words are no longer held, so there's nothing to keep. Type /review to see your answers."
CARRY_ON = "Thank you. We'll carry on when you're ready. You can type /help at any time."
EDIT_NOT_USED = "I've left your saved answer as it was."
NOT_SAVED_YET = "I haven't saved what you just wrote as an answer, in case things have changed."
