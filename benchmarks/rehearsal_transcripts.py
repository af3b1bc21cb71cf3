"""Three rehearsal transcripts from scripted practitioner lines, written to docs/rehearsal-*.md.

    python -m benchmarks.rehearsal_transcripts

The same invented person meets three practitioners: one skilled, one who minimises and hands the
need to family, and one who asks closed questions. Nothing here is tuned per line: the replies,
the notes and the end feedback come from `bot.practice` exactly as in the chat.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.practice import RehearsalState, load_scenarios, rehearsal_summary, rehearsal_turn

ROOT = Path(__file__).resolve().parent.parent
SCENARIO = "jean_breaking_point"


@dataclass(frozen=True)
class Script:
    slug: str
    title: str
    about: str
    lines: tuple[str, ...]


SCRIPTS = (
    Script("skilled", "A skilled practitioner",
           "asks consent, opens with best hopes, reflects and summarises, asks the willing-and-able question "
           "plainly, and scales from the bottom.",
           ("Is it all right if we talk while he's asleep?",
            "What are your best hopes from our talk today?",
            "It sounds like you're exhausted.",
            "What helps on the better days, even a little?",
            "Who is around you at the moment?",
            "So, he's up most nights, Pauline gives you Thursdays, and the old records bring Ray back for a "
            "while. Have I got that right?",
            "Are you willing and able to carry on caring the way things are?",
            "On a scale of 0 to 10, where are things for you now?",
            "What puts you at 2 and not lower?",
            "What would 3 look like?")),
    Script("minimising", "A practitioner who minimises and substitutes",
           "praises coping as if it settled things, hands the need to the son and the neighbour, then asks good "
           "open questions that come too late, until one reflection.",
           ("What matters most to you at the moment?",
            "You're managing really well, so it's mostly the nights, isn't it?",
            "Could your son help out more?",
            "Pauline could sit with him a bit more, couldn't she?",
            "So the Thursdays are covered then.",
            "What's the hardest part of the week?",
            "What worries you most?",
            "What would make things easier?",
            "It sounds like you're exhausted.")),
    Script("closed", "A practitioner who asks closed questions",
           "asks a run of yes/no questions and offers a service before hearing what matters.",
           ("Do you have any family?",
            "Does your son visit?",
            "Is he up in the night?",
            "Are you sleeping?",
            "Does anyone help you?",
            "Can you manage?",
            "Would you like some respite?",
            "Is there anything else?")),
)


def transcript(script: Script) -> str:
    scenario = load_scenarios()[SCENARIO]
    state = RehearsalState(scenario.id)
    lines = [f"# Rehearsal transcript: {script.title.lower()}", "",
             "Written by `python -m benchmarks.rehearsal_transcripts` from scripted practitioner lines; the replies,",
             "notes and end feedback are exactly what the coach says in practice mode (`/rehearse`).", "",
             f"**{scenario.title}.** {scenario.brief}", "",
             f"The practitioner {script.about}", "",
             f"> **{scenario.name}:** {scenario.opening}", ""]
    for number, line in enumerate(script.lines, 1):
        state, reply, note = rehearsal_turn(scenario, state, line)
        lines += [f"**{number}. Practitioner:** {line}", "",
                  f"> **{scenario.name}:** {reply}", "",
                  f"*Note:* {note}", ""]
    lines += ["## End feedback", "", "```text", rehearsal_summary(scenario, state), "```", ""]
    others = [s for s in SCRIPTS if s is not script]
    lines += ["The same person with the other practitioners: " + ", ".join(
        f"[{s.title.lower()}](rehearsal-{s.slug}.md)" for s in others) + ".", ""]
    return "\n".join(lines)


def main() -> None:
    for script in SCRIPTS:
        path = ROOT / "docs" / f"rehearsal-{script.slug}.md"
        path.write_text(transcript(script), encoding="utf-8")
        print(f"wrote {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
