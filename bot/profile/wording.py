"""Our fixed wording for the profile: titles, labels, the four tests, the footer. Never the person's words.

Plain English in the first person, so the document reads as the person's own (practice-content.md
§7.2 for the outcome areas and the four tests, §11(a) for the sections). Where a carer answered
about the person they care for, the "theirs" wording is used.
"""

from __future__ import annotations

from bot.content.model import SECTIONS

# Section id -> (title when about me, title when a carer answers about the person they care for),
# in the order the document shows them: needs and evidence before strengths, so that help from
# family can never read as "no needs". "areas" and "help_met" are built by the profile itself.
TITLES: dict[str, tuple[str, str]] = {
    "areas": ("My day-to-day life, area by area", "Their day-to-day life, area by area"),
    "good_and_hard_days": ("Good days and hard days", "Their good days and hard days"),
    "help_met": ("Help I get now: needs that someone is meeting", "Help they get now: needs that someone is meeting"),
    "worries": ("Worries and feeling safe", "Worries about them"),
    "wellbeing": ("How my wellbeing is affected", "How their wellbeing is affected"),
    "scales": ("Where I am now", "Where they are now"),
    "what_matters": ("What matters to me", "What matters to them"),
    "support_me": ("How best to support me", "How best to support them"),
    "people_support": ("People and places around me", "People and places around them"),
    "about_me": ("About me", "About the person I care for"),
    "admired": ("What people like and admire about me", "What people like and admire about them"),
    "tried": ("What I've tried", "What has been tried"),
    "caring_role": ("My caring role", "My caring role"),
    "willing_able": ("What I am willing and able to keep doing", "What I am willing and able to keep doing"),
    "carer_wellbeing": ("My own wellbeing", "My own wellbeing"),
    "carer_help": ("What would help me", "What would help me"),
    "meeting": ("For the meeting", "For the meeting about them"),
}
# A carer's own part comes first, in this order; a person's profile skips these.
CARER_FIRST = ("caring_role", "willing_able", "carer_wellbeing", "carer_help")
# Sections that never go into the profile: practice notes for practitioners, and answers for no section.
LEFT_OUT = frozenset(SECTIONS) - frozenset(TITLES) - {"daily_life"}

# A carer's own answers (section caring_role), by question, into the four parts of the carer's
# version; a caring_role question not named here goes to "My caring role".
CARER_PARTS: dict[str, str] = {
    "task_willing": "willing_able",
    "willing": "willing_able",
    "able": "willing_able",
    "talk_freely": "willing_able",
    "backup_plan": "willing_able",
    "if_ill": "willing_able",
    "who_helps_you": "willing_able",
    "my_health": "carer_wellbeing",
    "health_affected": "carer_wellbeing",
    "sleep": "carer_wellbeing",
    "time_for_me": "carer_wellbeing",
    "time_would_do": "carer_wellbeing",
    "work": "carer_wellbeing",
    "work_easier": "carer_wellbeing",
    "relationships": "carer_wellbeing",
    "keep_going": "carer_wellbeing",
    "caring_scale": "carer_wellbeing",
    "what_would_help": "carer_help",
    "break_importance": "carer_help",
}

# The Care Act outcome areas (Eligibility Regulations 2015, reg 2) in plain words, plus money and
# health, which often matter; keyed by the daily-life area ids of the `daily_life.areas` choices.
AREAS: dict[str, tuple[str, str]] = {
    "food": ("Food and drink", "Food and drink"),
    "washing": ("Washing and keeping clean", "Washing and keeping clean"),
    "toilet": ("Using the toilet", "Using the toilet"),
    "dressing": ("Getting dressed", "Getting dressed"),
    "moving": ("Moving around my home safely", "Moving around their home safely"),
    "home": ("Keeping my home clean, warm and safe", "Keeping their home clean, warm and safe"),
    "people": ("Family, friends and relationships", "Family, friends and relationships"),
    "work": ("Work, learning or volunteering", "Work, learning or volunteering"),
    "out": ("Getting out: shops, transport, places I enjoy", "Getting out: shops, transport, places they enjoy"),
    "child": ("Looking after a child", "Looking after a child"),
    "money": ("Money, bills and letters", "Money, bills and letters"),
    "health": ("Medicines and health", "Medicines and health"),
}
NOT_TALKED_ABOUT = "Not talked about yet."
# The four ways of being unable to achieve an outcome (reg 2(3)), as the person would say them;
# keyed by the choice ids of `daily_life.area_four_tests`.
TESTS: dict[str, tuple[str, str]] = {
    "help": ("I can't do this without help or reminding.", "They can't do this without help or reminding."),
    "pain": ("It causes me pain, upset or worry.", "It causes them pain, upset or worry."),
    "unsafe": ("It is not safe: I or someone else could get hurt.",
               "It is not safe: they or someone else could get hurt."),
    "longer": ("It takes me much longer than it should.", "It takes them much longer than it should."),
    "none": ("None of the four tests fits at the moment.", "None of the four tests fits at the moment."),
}
# The same, short, for the front page: "Washing and keeping clean: help needed; pain, upset or worry".
TESTS_SHORT = {
    "help": "help or reminding needed",
    "pain": "pain, upset or worry",
    "unsafe": "not safe",
    "longer": "takes much longer",
}
# What each daily-life question about an area tells, by question (after its bank id).
AREA_LABELS: dict[str, tuple[str, str]] = {
    "open": ("How it goes", "How it goes"),
    "area_hardest": ("The hardest part", "The hardest part"),
    "area_what_happens": ("A real example, on a hard day", "A real example, on a hard day"),
    "area_how_long": ("How long it takes now", "How long it takes now"),
    "area_stops": ("What it stops me doing", "What it stops them doing"),
    "area_helps": ("What helps now", "What helps now"),
}
HOW_OFTEN = ("How often it is hard", "How often it is hard")

# Help from family and friends, shown as needs that someone is meeting (statutory guidance 6.64).
HELP_LABELS: dict[str, tuple[str, str]] = {
    "who_helps": ("Needs met by family or friends now", "Needs met by others now"),
    "help_often": ("How often they help", "How often they help"),
    "help_can_last": ("Can they keep it up?", "Can they keep it up?"),
    "if_help_stopped": ("If that help stopped", "If that help stopped"),
    "help_feel": ("How I feel about the help", "How they feel about the help"),
}

# The front page: what a busy reader sees first, in the person's own words.
FRONT: dict[str, tuple[str, str]] = {
    "matters": ("What matters most to me", "What matters most to them"),
    "hopes": ("My best hopes", "Their best hopes"),
    "good_day": ("A good day", "A good day for them"),
    "hard": ("What is hard for me now", "What is hard for them now"),
    "meeting": ("What I want from the meeting", "What I want from the meeting"),
    "caring": ("My caring role", "My caring role"),
    "carer_hard": ("What is hard for me now", "What is hard for me now"),
    "carer_help": ("What would help me", "What would help me"),
}
FRONT_LABELS = {
    "hard_day": "On a hard day",
    "hard_days_often": "Hard days come",
    "able": "Can I keep going as things are?",
    "willing": "Do I want to keep caring as I do now?",
    "must_say": "Most important to say",
}

# Scales, by kind: a "how things are" scale, an importance or confidence ruler, a good-enough target.
SCALE_WORDS = {
    "now": "{score} out of {maximum}",
    "ruler": "{score} out of {maximum}",
    "target": "Good enough for now: {score} out of {maximum}",
}
FOLLOWUP_LABELS = {
    "not_lower": "Why it is {score} and not lower",
    "one_up": "What one step up, to {one_up}, would look like",
    "since_last": "Since last time",
    "next_step": "The next small step",
}

NOTES_TITLE = "My notes, just for me"
NOTES_INTRO = (
    "These are your own preparation. They are left out of the PDF you share, unless you choose to "
    "include them: type /export notes for a PDF with them in."
)
NOTES_INCLUDED = "My own preparation, included because I chose to share it."
CARD_HARD_TO_SAY = "Things I find hard to say out loud"

NOTES: dict[str, tuple[str, ...]] = {
    "help_met": ("Anyone who cares for you can ask for their own carer's assessment.",),
    "meeting": (
        "Describe your hard days, not just today.",
        "Ask to check what has been written.",
    ),
}

TITLE = "What matters to me"
CARER_SUBTITLE = "A carer's version: my caring role, and me"
FOOTER = (
    "This is a draft in my own words, not an assessment. I decide who sees it.",
    "I can ask the council for a copy of its assessment, and to check what it has written.",
)
SUPPORT = "If things feel too much, you don't have to manage alone: type /help to see who can help now."
EMPTY = "There's nothing in your profile yet. Answer a few questions first, and your own words will appear here."
LOST_LETTERS = (
    "Some letters in these answers could not be printed in this PDF and show as \u25a1. "
    "The words are kept exactly as written in the Markdown and data files."
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
