"""Three walked transcripts from scripted answers, written to docs/transcript-*.md.

    python -m benchmarks.walked_transcripts

An older person, a carer, and a younger person with MS and depression each go through shipped
flows, answering as people do: typing, tapping buttons, and once putting a summary right. Every
line the coach says comes from the engine and the shipped content exactly as a channel shows it
(the question with its progress line, hint and scale labels, then its buttons), so the
acknowledgements, reflections, coping-first scaling and end-of-part summaries seen here are the
real ones. Each scripted answer names the step it answers: if a flow changes, the script stops
with the step it expected instead of drifting (tests/engine/test_transcripts.py keeps the files
true).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from bot import engine
from bot.content.loader import load_content
from bot.content.model import Content
from bot.conversation.keyboards import question_buttons, question_text
from bot.engine.state import FINISHED, Prompt, Turn

ROOT = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 23)


@dataclass(frozen=True)
class Visit:
    """One flow, answered step by step: (step id, answer); "tap:VALUE" taps that button."""

    flow: str
    answers: tuple[tuple[str, str], ...]
    earlier: dict[str, Any] = field(default_factory=dict)  # scores from an earlier check-in
    note: str = ""


@dataclass(frozen=True)
class Person:
    slug: str
    name: str
    about: str
    visits: tuple[Visit, ...]


MARGARET = Person(
    "older-person",
    "Margaret",
    "Margaret is 84 and lives alone in a terraced house. She had a fall on the stairs in March and has not "
    'told anyone at the council about it yet. She goes through "Worries and feeling safe".',
    (
        Visit(
            "staying_safe",
            (
                ("for_someone", "tap:me"),
                ("working_well", "My neighbour Joan pops in most mornings, and I still do my own cooking."),
                ("worry_most", "Falling again when nobody is here."),
                ("worry_if_nothing_changes", "That I'll end up in hospital, or have to leave my home."),
                ("feel_safe", "tap:2"),
                ("feel_safe.coping", "I keep the phone in my pocket and leave the landing light on."),
                ("feel_safe.one_up", "A rail on both sides of the stairs."),
                ("falls", "tap:yes"),
                (
                    "fall_what_happened",
                    "I had a fall on the stairs in March. I was on the floor for two hours before Joan found me.",
                ),
                ("alone_at_night", "I don't like it. I lie awake listening."),
                ("others_worry", "My son thinks I should move to a flat."),
                ("see_differently", "I understand why, but this is my home and I want to stay."),
                ("feel_safer", "A rail on both sides, and one of those alarms you wear."),
                ("tell_if_unsafe", "My son, or Joan next door."),
                ("worries_summary", "tap:no"),
                ("worries_summary", "tap:alone_at_night"),
                (
                    "alone_at_night",
                    "I don't like it. I lie awake listening for noises, and I keep the radio on all night.",
                ),
                ("worries_summary", "tap:yes"),
                ("needs_to_happen", "Someone to look at the stairs, and a way to call for help if I fall."),
                ("reflect_needs_to_happen", "tap:yes"),
                ("what_else_matters", "My garden. I want to keep it going."),
                ("takeaway", "That I should tell them about March, not just say I'm fine."),
            ),
        ),
    ),
)

DENISE = Person(
    "carer",
    "Denise",
    "Denise is 61. She looks after her husband Alan, who had a stroke two years ago. She is getting ready for "
    "her own carer's assessment and goes through the \"Carer's check-in\".",
    (
        Visit(
            "carer",
            (
                ("best_hopes", "Not to be so worn out all the time."),
                ("best_hopes_instead", "A full night's sleep, a couple of times a week."),
                ("good_week", "When my sister has Alan for an afternoon and I can get to my choir."),
                ("who_you_care_for", "My husband Alan. He had a stroke two years ago."),
                ("hopes_summary", "tap:yes"),
                ("what_i_do", "Help him wash and dress every morning"),
                ("what_i_do", "All his tablets"),
                ("what_i_do", "Lifts to the hospital and to physio"),
                ("what_i_do", "that's all"),
                ("hours", "tap:over_50"),
                ("nights", "tap:most_nights"),
                ("night_what", "He needs the toilet two or three times a night, and I help him up."),
                ("other_caring", "no"),
                ("young_carers", "yes, our granddaughter helps at weekends"),
                ("do_well", "I know what he needs before he says it."),
                ("hardest_part", "The nights, and that he gets so frustrated with me."),
                ("caring_summary", "tap:no"),
                ("caring_summary", "tap:hardest_part"),
                ("hardest_part", "The nights, and losing a bit more of the man I married every month."),
                ("caring_summary", "tap:yes"),
                ("caring_scale", "tap:1"),
                ("caring_scale.coping", "Our grandchildren, and my choir when I can get there."),
                ("caring_scale.one_up", "One night a week when someone else does the nights."),
                ("my_health", "My back is bad from the lifting, and I've missed my own appointments."),
                ("sleep", "tap:hardly"),
                ("time_for_me", "tap:cant_remember"),
                ("time_would_do", "Go back to choir properly, and see my friend June."),
                ("work", "tap:gave_up"),
                ("work_easier", "It's too late for my old job, but I'd like to volunteer again one day."),
                ("relationships", "I hardly see friends now. Alan and I argue more than we used to."),
                ("me_summary", "tap:yes"),
                ("tasks", "tap:personal"),
                ("tasks", "tap:nights"),
                ("tasks", "tap:appointments"),
                ("tasks", "tap:done"),
                ("task_willing.personal", "tap:with_help"),
                ("task_willing.nights", "tap:someone_else"),
                ("task_willing.appointments", "tap:keep"),
                ("willing", "tap:yes_help"),
                ("able", "tap:struggling"),
                ("talk_freely", "tap:no"),
                ("backup_plan", "tap:no"),
                ("if_ill", "I honestly don't know. Our son lives in Leeds."),
                ("who_helps_you", "My sister, one afternoon a fortnight."),
                ("carry_on_summary", "tap:yes"),
                ("break_importance", "tap:9"),
                ("break_importance.not_lower", "Without a break I'll make myself ill, and then who looks after Alan?"),
                ("ask_help_confidence", "tap:3"),
                ("ask_help_confidence.not_lower", "I've started, by doing this."),
                ("ask_help_confidence.one_up", "Knowing what I'm allowed to ask for."),
                ("what_would_help", "Someone to do two nights a week."),
                ("reflect_what_would_help", "tap:yes"),
                ("meeting_questions", "tap:support"),
                ("meeting_questions", "tap:break"),
                ("meeting_questions", "tap:emergency"),
                ("meeting_questions", "tap:done"),
            ),
        ),
    ),
)

RHYS = Person(
    "younger-person",
    "Rhys",
    "Rhys is 34 and has relapsing MS and depression. He lives with his partner Cerys and works part time. "
    'He starts with "Best hopes and a good day", then comes back for the check-in a month later.',
    (
        Visit(
            "best_hopes",
            (
                ("for_someone", "tap:me"),
                ("name", "Rhys"),
                ("best_hopes", "Stop feeling like this."),
                ("best_hopes_instead", "To have enough energy to see my mates, and to feel like me again."),
                ("reflect_instead", "tap:yes"),
                (
                    "best_hopes_difference",
                    "I'd go back to five-a-side, even just to watch. I'd stop cancelling on people.",
                ),
                ("hopes_else", "I'd be less snappy with Cerys."),
                ("hopes_summary", "tap:yes"),
                ("style", "tap:tomorrow"),
                ("tomorrow", "I'd be up before ten and make us breakfast."),
                ("good_day_later", "A walk with the dog, and texting the lads back."),
                ("first_to_notice", "Cerys."),
                ("what_they_see", "Me in the kitchen, not still in bed."),
                ("picture_summary", "tap:yes"),
                ("where_now", "tap:2"),
                ("where_now.coping", "Cerys. And the dog needs walking, so I go out even when I don't want to."),
                ("where_now.one_up", "Getting dressed before lunch, most days."),
                ("exceptions", "Last Sunday. I felt all right for a few hours."),
                ("exception_different", "I'd slept properly and I wasn't working."),
                ("exception_more", "Better sleep. Maybe talking to my GP about the fatigue."),
                ("hardest_now", "The fatigue, and the low mood that comes with it. Most mornings I can't face much."),
                ("now_summary", "tap:yes"),
                ("top_three", "Energy for my mates"),
                ("top_three", "Feeling like me again"),
                ("top_three", "that's all"),
                ("takeaway", "That wanting things to stop is a start, but I can say what I want instead."),
            ),
        ),
        Visit(
            "where_now",
            (
                ("for_someone", "tap:me"),
                ("been_before", "tap:yes"),
                ("since_last_time", "tap:harder"),
                ("harder_what", "A relapse. My legs have been bad and I've barely left the flat."),
                ("coping_not_worse", "Cerys has been brilliant, and I kept taking my tablets."),
                ("coping_tells_you", "That I'm more stubborn than I thought."),
                ("areas", "tap:feelings"),
                ("areas", "tap:health"),
                ("areas", "tap:done"),
                ("spirits", "tap:1"),
                ("spirits.coping", "Honestly, just getting through one day at a time."),
                ("spirits.one_up", "Answering a message from a friend instead of leaving it."),
                ("health_scale", "tap:3"),
                ("health_scale.not_lower", "The new tablets help with the pins and needles."),
                ("health_scale.one_up", "Walking to the end of the road without stopping."),
                ("focus_area", "My mood"),
                ("good_enough", "tap:5"),
                ("confidence", "tap:4"),
                ("confidence.not_lower", "I've got Cerys on my side."),
                ("confidence.one_up", "Knowing the GP will listen."),
                ("who_could_help_step", "Cerys, and my MS nurse."),
            ),
            earlier={"scaling.spirits": 1, "scaling.where_now": 2},
            note="A month earlier, Rhys did this check-in once and put how he felt in himself at 1.",
        ),
    ),
)

PEOPLE = (MARGARET, DENISE, RHYS)


def transcript(person: Person, content: Content | None = None) -> str:
    """The person's visits as Markdown: what the coach says, and what the person types or taps."""
    content = content or load_content(ROOT / "question_banks", ROOT / "flows")
    lines = [
        f"# Walked transcript: {person.name}",
        "",
        "Written by `python -m benchmarks.walked_transcripts` from scripted answers; every line the coach says",
        "comes from the engine and the shipped flows, as the terminal and Telegram show it.",
        "",
        person.about,
        "",
    ]
    for visit in person.visits:
        lines += _visit(person, visit, content)
    return "\n".join(lines).rstrip() + "\n"


def _visit(person: Person, visit: Visit, content: Content) -> list[str]:
    flow = content.flows[visit.flow]
    lines = [f"## {flow.title}", ""]
    if visit.note:
        lines += [f"*{visit.note}*", ""]
    turn = engine.begin(flow, earlier=visit.earlier)
    lines += _coach(turn)
    picked: list[str] = []  # taps on a multi-choice question, shown together when Done is tapped
    for step_id, answer in visit.answers:
        prompt = _waiting(turn)
        if prompt.node_id != step_id:
            where = f"{person.name}, {visit.flow}"
            raise ValueError(f"{where}: expected step '{step_id}', the coach asks '{prompt.node_id}'")
        if answer.startswith("tap:"):
            value = answer[4:]
            label = next(
                (b.label for row in question_buttons(prompt, "s") for b in row if b.data.endswith(":" + value)), None
            )
            if label is None:
                raise ValueError(f"{person.name}, {visit.flow}: no button '{value}' at '{step_id}'")
            event = engine.pick(prompt.node_id, value)
            if prompt.kind == "multi" and value != "done":
                picked.append(f"*{label.removeprefix('✓ ')}*")
                turn = engine.handle(flow, turn.state, event, today=TODAY)
                continue  # the question stays, with a tick by what was picked
            taps = ", ".join(picked) + ", then " if picked else ""
            lines += [f"**{person.name}** taps {taps}*{label}*", ""]
            picked = []
        else:
            lines += [f"**{person.name}:** {answer}", ""]
            event = engine.text(answer)
        turn = engine.handle(flow, turn.state, event, today=TODAY)
        lines += _coach(turn)
    if turn.state.status != FINISHED:
        raise ValueError(f"{person.name}, {visit.flow}: the script ends before the flow does")
    return lines


def _waiting(turn: Turn) -> Prompt:
    prompt = next((r.prompt for r in reversed(turn.replies) if r.prompt is not None), None)
    if prompt is None:
        raise ValueError("the coach is not asking anything")
    return prompt


def _coach(turn: Turn) -> list[str]:
    """Each message the coach sends, as a quote; a question's buttons below it."""
    lines: list[str] = []
    for reply in turn.replies:
        text = question_text(reply.prompt) if reply.prompt is not None else reply.text
        lines += ["> " + line if line else ">" for line in text.splitlines()]
        if reply.prompt is not None:
            rows = question_buttons(reply.prompt, "s")
            if rows:
                lines += [">", "> " + " · ".join(" ".join(f"[{b.label}]" for b in row) for row in rows)]
        lines.append("")
    return lines


def main() -> None:
    content = load_content(ROOT / "question_banks", ROOT / "flows")
    for person in PEOPLE:
        path = ROOT / "docs" / f"transcript-{person.slug}.md"
        path.write_text(transcript(person, content), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
