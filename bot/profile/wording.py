"""Our fixed wording for the profile: section titles, reminders, footer. Never the person's words."""

from __future__ import annotations

from bot.content.model import SECTIONS

# Section id -> (title when about me, title when a carer answers about the person they care for).
# Order is the profile's order (issue 5; practice-content.md 11(a)).
TITLES: dict[str, tuple[str, str]] = {
    "about_me": ("About me", "About the person I care for"),
    "admired": ("What people like and admire about me", "What people like and admire about them"),
    "what_matters": ("What matters to me", "What matters to them"),
    "good_and_hard_days": ("A good day and a hard day", "Their good days and hard days"),
    "daily_life": ("Day-to-day life", "Their day-to-day life"),
    "wellbeing": ("How my wellbeing is affected", "How their wellbeing is affected"),
    "people_support": ("People and support around me", "People and support around them"),
    "tried": ("What I've tried", "What has been tried"),
    "worries": ("Worries", "Worries about them"),
    "support_me": ("How best to support me", "How best to support them"),
    "scales": ("Where I am now", "Where they are now"),
    "meeting": ("For the meeting", "For the meeting about them"),
    "caring_role": ("My caring role and me", "My caring role and me"),
}
# Sections that never go into the profile: practice notes for practitioners, and answers for no section.
LEFT_OUT = frozenset(SECTIONS) - frozenset(TITLES)

NOTES: dict[str, tuple[str, ...]] = {
    "people_support": ("Anyone who cares for you can ask for their own carer's assessment.",),
    "meeting": (
        "Describe your hard days, not just today.",
        "Ask to check what has been written.",
    ),
}

TITLE = "What matters to me"
CARER_SUBTITLE = "A carer's version, with my caring role and me"
FOOTER = (
    "This is a draft in your own words, not an assessment. You decide who sees it.",
    "You can ask the council for a copy of its assessment, and to check what it has written.",
)
EMPTY = "There's nothing in your profile yet. Answer a few questions first, and your own words will appear here."
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
