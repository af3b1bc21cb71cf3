"""Check a practitioner's line: what form it takes, whether it is open, and what could be better.

`check_question` reads the form (question, reflection, summary, consent or statement), whether
the line is open, and the issues (codes in ISSUE_CODES), each explained in plain words with a
better version that keeps the need. Good practice is not a fault: reflections, summaries,
consent and questions closed on purpose (how often, willing and able, safety checks, a choice or a
right offered, a plain fact needed, asking for a number on a scale) are not flagged `closed`; nor is
a question whose fault is the steer it offers (docs/question-labelling.md). The rules and word lists
live in `data/question_rules.yaml`;
beside them, learned codes (`learned.py`) raise leading, double, deficit, jargon, scaling_direction,
substitution and minimising where the rules miss them, the model overrules a rule's code where it is sure
the fault is not there, and rewrites are checked against both.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from bot.practice.clauses import normal
from bot.practice.forms import BARE_TAG, DELIBERATE, FORMS, Shape, anchored, ends_in_tag, is_scale, shape_of
from bot.practice.issues import ISSUE_CODES, deficit_vetoed, find_issues, lower_comparison
from bot.practice.learned import CodeModel, shipped_code_model
from bot.practice.rewrites import better_versions, suggestions
from bot.practice.rules import Rules, load_rules

__all__ = ["ASKS_THE_COACH", "DELIBERATE", "FORMS", "ISSUE_CODES", "Issue", "QuestionVerdict", "Rules",
           "asks_the_coach", "check_question",
           "combine", "examine", "format_verdict", "good_shape", "load_rules", "overrulable"]


@dataclass(frozen=True)
class Issue:
    code: str
    explanation: str
    better: str = ""


@dataclass(frozen=True)
class QuestionVerdict:
    open: bool
    form: str
    issues: tuple[Issue, ...]
    suggestions: tuple[str, ...]
    deliberate: str = ""  # why a closed question is closed on purpose: consent, check, frequency, scale, ...

    @property
    def codes(self) -> tuple[str, ...]:
        return tuple(issue.code for issue in self.issues)

    def to_json(self) -> dict[str, Any]:
        """The checker's contract: open, form, and each issue with its explanation and better version."""
        return {
            "open": self.open,
            "form": self.form,
            "issues": [{"code": i.code, "explanation": i.explanation, "better": i.better} for i in self.issues],
        }


def examine(text: str, rules: Rules | None = None, model: CodeModel | None = None) -> tuple[Shape, set[str]]:
    """The shape of a line and its issue codes (the rules' and the learned model's), without explanations
    or rewrites. `model`: the shipped one unless given (`CodeModel(None)` for the rules alone)."""
    rules = rules or load_rules()
    norm = normal(text)
    shape = shape_of(norm, rules)
    ruled = find_issues(text, norm, shape, rules)
    learned, doubts = (model or shipped_code_model()).read(norm, good_shape=good_shape(shape))
    codes = combine(ruled, learned, norm, rules, overrulable(doubts, shape, norm, rules))
    for code, applies in _SHAPE_VETOES:  # in order: a later one may look at what an earlier one left
        if code in codes and applies(shape, norm, ruled, codes):
            codes.discard(code)
    return shape, codes


def steer_only(shape: Shape, codes: set[str], norm: str) -> bool:
    """A question whose fault is the steer it offers ("Could your sister take a night?", "Would a key safe
    make things easier?"): it is not also `closed`, as opening it would still steer (labelling guide). A
    tag, a statement said as a question or the practitioner's verdict put to the person ("Would you say
    you're on top of it?") is closed as well; so is one that plays the need down or frames the person by a
    problem."""
    return (bool(codes & {"leading", "substitution"}) and not codes & {"minimising", "deficit"}
            and shape.form == "question" and bool(shape.kinds)
            and (shape.kinds[0] != "declarative" or bool(_MAYBE.match(norm)))  # "Maybe the temple could...?"
            and not ends_in_tag(norm) and not _VERDICT.match(norm))


def overrulable(doubts: set[str], shape: Shape, norm: str, rules: Rules | None = None) -> set[str]:
    """The model's doubts the rules give way to: all but `closed` and `leading` on a statement said as a
    question or a tagged one ("So the nights are fine?"), which are both by their shape, and `deficit` where
    a label is put on the person ("in denial"), which is deficit wherever it appears (labelling guide)."""
    if shape.form == "question" and shape.kinds and (shape.kinds[0] == "declarative" or ends_in_tag(norm)):
        doubts = doubts - {"closed", "leading"}
    if (rules or load_rules()).deficit_labels.search(norm):
        doubts = doubts - {"deficit"}
    return doubts


def good_shape(shape: Shape) -> bool:
    """A line shaped like good practice: a reflection, a summary, consent or a question closed on purpose."""
    return shape.form in ("reflection", "summary", "consent") or bool(shape.deliberate)


_NAMED_STEERS = {"why", "minimising", "substitution"}
# a statement that asks all the same ("I need to go through how you manage money, whether ... and who ...")
_ASKS_INDIRECTLY = re.compile(r"\b(i('d| would) like to|i need to|i want to|i have to|i've got to|i'll need to) "
                              r"(just )?(ask|go through|know|check|talk about|cover|find out)\b")
_VERDICT = re.compile(r"^(so,? |and |now,? )?(would you say|is it fair to say|would it be fair to say|"
                      r"am i right (to say|in thinking|that))\b")
_MAYBE = re.compile(r"^(so,? |and |well,? )?(maybe|perhaps)\b")
# words that play a need down in something said back ("you just want a bit of company", "so really things are
# stable", "so she can pick up the slack"): without one, a summary's list of what is hard is not minimising
_DOWNPLAYS = re.compile(r"\b(just|only|really|all good|fine|okay|ok|covered|shouldn't|the odd|a bit|lots of|usually|"
                        r"stable|managing|coping|so (she|he|they|we|you|that's|it's))\b")
_OFFERS_OTHER = re.compile(r"\bor (would you (rather|prefer|like)|is (that|it|this) something (you'd|you would) "
                           r"(like|want|rather|prefer)|do you want|would it help|do you prefer|shall we|"
                           r"(are|would) you (be )?(happy|ok|okay|alright|all right|comfortable)|is it (ok|okay)|"
                           r"(should|shall|could) (we|i) (look at|think about|find|get|arrange|sort))\b")
_NUMBERED = re.compile(r"\b(number|score|scores|rate|rating|scale|marks?|out of|\d+|nought|zero|one|two|three|four|"
                       r"five|six|seven|eight|nine|ten)\b")  # something a scale could be read from
# the follow-up that asks what would move the number up ("What would need to happen for it to be a 5?")
_ONE_UP = re.compile(r"\bwhat (would|could|might|will)\b[^?]*\b(happen|take|help|need|make|get|move|bring|change)\b"
                     r"[^?]*\b(be|to|at|reach) (a |an )?(\d+|one|two|three|four|five|six|seven|eight|nine|ten)\b")
_SOMEONE = re.compile(r"\b(anyone|anybody|someone|somebody|who else|people|each other|between (you|them))\b")
_JOINED = re.compile(r"\b(and|or|also|plus|then)\b|[,;:]|\?.*\?")
# a second thing asked inside a long line ("... and whether any of that stops you ...")
_SECOND_ASK = re.compile(r"\b(and|or|also|then) (also )?(whether|if)\b")
# the solution-focused exception question ("When is it a little better, even for a moment?"): asking when things
# go better is the technique, not a steer, unless the rules see one ("How much better would a sitter make it?")
_EXCEPTION = re.compile(r"\b(a (little|bit) better|even (a little|a bit|slightly)|"
                        r"even for a (moment|minute|while|day)|"
                        r"(times|days|moments) when (it|things|you|that)"
                        r"('s| is| are| was| were| feel| felt| go| went)? ?"
                        r"(a (bit|little) )?(better|easier|ok|okay|good))\b")
# naming the difficulty as big acknowledges the need: the opposite of playing it down
_ACKNOWLEDGES = re.compile(r"\b(must be|sounds|sounds like it is|looks|seems)( really| so| very| quite)? "
                           r"(hard|difficult|tough|exhausting|draining|frightening|scary|lonely|a lot)\b")


_ASKS_ONLY = ("fact", "check", "safety", "frequency")  # closed on purpose, with nothing offered or handed on
_Veto = Callable[[Shape, str, set[str], set[str]], bool]  # (shape, normalised line, rules' codes, codes so far)
# Codes the line's shape rules out after the rules and the model are combined.
_SHAPE_VETOES: tuple[tuple[str, _Veto], ...] = (
    # "Are you willing to keep ..., or would you rather someone else did?" is one choice
    ("double", lambda shape, norm, ruled, codes: shape.deliberate in ("willing_able", "choice", "consent")
     and bool(_OFFERS_OTHER.search(norm))),
    # "Are you still able to ...?" asks; it does not presume (the rules say so)
    ("minimising", lambda shape, norm, ruled, codes: shape.deliberate == "willing_able" and "minimising" not in ruled),
    # said back with nothing that plays it down: the model alone is not enough
    ("minimising", lambda shape, norm, ruled, codes: shape.form in ("summary", "reflection")
     and "minimising" not in ruled and not _DOWNPLAYS.search(norm)),
    # asking leave to bring someone into the conversation, or a plain fact, check or safety question about them
    # ("Is Aunty Grace your mum's sister?"), hands them nothing
    ("substitution", lambda shape, norm, ruled, codes: (shape.form == "consent" or shape.deliberate in _ASKS_ONLY)
     and "substitution" not in ruled and "minimising" not in codes),
    # a statement or a reflection asks nothing, so it cannot ask two things: the model alone is not enough
    ("double", lambda shape, norm, ruled, codes: shape.form in ("statement", "reflection") and "double" not in ruled
     and not _ASKS_INDIRECTLY.search(norm)),
    # one statement with a tag ("..., doesn't she?") is one question
    ("double", lambda shape, norm, ruled, codes: "double" not in ruled and norm.count("?") == 1
     and bool(BARE_TAG.search(norm))),
    # "Maybe your sister could...?": unpaid help suggested, closed, not also leading
    ("leading", lambda shape, norm, ruled, codes: "substitution" in codes and bool(_MAYBE.match(norm))
     and not ends_in_tag(norm)),
    ("closed", lambda shape, norm, ruled, codes: steer_only(shape, codes, norm)),
)


_STRENGTHS = re.compile(r"\b(good at|great at|best at|proud of|enjoys?|loves?|strengths?|goes well|went well|"
                        r"going well|talents?|gifts?)\b")


def asks_strengths(norm: str, rules: Rules) -> bool:
    """A line about what someone is good at or enjoys, with no problem word in it ("What is Sam good at?"):
    the model's `deficit` is not added (it had learned "What is she ...?" from lines about what is wrong)."""
    return bool(_STRENGTHS.search(norm) and not rules.deficit_words.search(norm)
                and not rules.deficit_always.search(norm))


def combine(rule_codes: set[str], model_codes: set[str], norm: str, rules: Rules | None = None,
            doubts: set[str] | frozenset[str] = frozenset()) -> set[str]:
    """The rules' codes and the model's, together. A rule's code the model doubts (is sure is not there) is
    dropped. The model's codes are added where the model can see the thing it names: which way a scale runs
    is read by the rules alone when the line says what 0 or 10 stands for (the model only sees that it is a
    scale), not on the follow-ups that run the right way ("What puts you at 4 and not 0?", "What would get it
    to a 5?"), and not at all where there is no scale or number; two questions need something joining them;
    unpaid help the rules read as not handed the need ("What would happen if your daughter could not...?")
    is not substitution, nor is a line that names no one the need could be handed to ("Why haven't you asked
    for help?"); leading is not added where why, minimising or substitution already names the steer. Nor is
    deficit where the rules say it is not one (a scale, a why question, best and worst together, an aside),
    nor minimising where the line names the difficulty as big ("It must be really hard") or the rules say it
    is not minimising ("When you say you're fine, ..."), nor double on a long line with one question mark
    unless a second thing is asked inside it ("and whether")."""
    rules = rules or load_rules()
    rule_codes = rule_codes - doubts
    if any(p.search(norm) for p in rules.substitution_not) or not (rules.unpaid.search(norm) or _SOMEONE.search(norm)):
        model_codes = model_codes - {"substitution"}  # the need can only be handed to someone the line names
    if any(p.search(norm) for p in rules.minimising_not):  # "When you say you're fine, ..." takes up their word
        model_codes = model_codes - {"minimising"}
    if (anchored(norm) or lower_comparison(norm) or _ONE_UP.search(norm)
            or not (is_scale(norm, rules) or _NUMBERED.search(norm))):
        model_codes = model_codes - {"scaling_direction"}
    if "why" in rule_codes or deficit_vetoed(norm) or is_scale(norm, rules) or asks_strengths(norm, rules):
        model_codes = model_codes - {"deficit"}
    if not _JOINED.search(norm) or ("long" in rule_codes and norm.count("?") <= 1 and not _SECOND_ASK.search(norm)):
        model_codes = model_codes - {"double"}
    if _ACKNOWLEDGES.search(norm) and " but " not in f" {norm} ":
        model_codes = model_codes - {"minimising"}
    if (rule_codes | model_codes) & _NAMED_STEERS or _EXCEPTION.search(norm):
        model_codes = model_codes - {"leading"}
    return rule_codes | model_codes


ASKS_THE_COACH = ("That reads as a question for me rather than a line you would say to someone. "
                  "Checking looks at a question, reflection or summary as you would put it to a person: "
                  "type it in their words, as you'd say it.\n\n"
                  "For ideas, the question cards have examples by technique. If this is about someone at risk "
                  "now, follow your service's safeguarding or crisis procedure and talk to your duty manager "
                  "or supervisor; if anyone is in immediate danger, call 999.")


@lru_cache(maxsize=1)
def _coach_asked() -> tuple[re.Pattern[str], ...]:
    return tuple(re.compile(p) for p in load_rules().raw["asks_the_coach_patterns"])


def asks_the_coach(text: str) -> bool:
    """Whether a line asks the coach what to do ("Someone says ... What do I do?") rather than being
    something the practitioner would say to a person."""
    norm = normal(" ".join(text.split())[:2000])
    return any(p.search(norm) for p in _coach_asked())


def check_question(text: str) -> QuestionVerdict:
    """The verdict on one line a practitioner might say."""
    return _check(" ".join(text.split())[:2000])


@lru_cache(maxsize=512)
def _check(text: str) -> QuestionVerdict:
    rules = load_rules()
    shape, codes = examine(text, rules)
    explanations = rules.raw["explanations"]

    better = better_versions(text, codes, rules, _codes_of) if codes else {}
    issues = tuple(Issue(code, " ".join(explanations[code].split()), better.get(code, ""))
                   for code in ISSUE_CODES if code in codes)
    rewrites = suggestions(text, codes, rules, _codes_of, ISSUE_CODES) if codes else ()
    return QuestionVerdict(shape.open, shape.form, issues, rewrites, shape.deliberate)


@lru_cache(maxsize=4096)
def _codes_of(candidate: str) -> frozenset[str]:
    """A candidate rewrite's codes (the same few candidates come up again and again)."""
    return frozenset(examine(candidate)[1])


_GOOD = {
    "reflection": "A reflection: it shows you heard, and leaves room for the person to say more.",
    "summary": "A summary: it pulls things together and lets the person correct or add to it.",
    "consent": "Asking consent: a closed question on purpose, and good practice.",
    "statement": "A statement rather than a question.",
}
_DELIBERATE = {
    "check": "A check that you have understood: closed on purpose, and good practice.",
    "frequency": "A closed question on purpose: how often or how long matters, and the person can still say more.",
    "willing_able": "A closed question on purpose: whether the carer is willing and able to go on is theirs to say.",
    "safety": "A safety check: ask it plainly and closed, as you have.",
    "choice": "A closed question on purpose: offering a choice or a right, which is the person's to take or leave.",
    "fact": "A closed question on purpose: a plain fact you need. Open questions can follow.",
    "scale": "A scaling question: a number answers it, so it is closed on purpose. Follow the number with what puts "
             "the person there and not lower.",
}


def format_verdict(verdict: QuestionVerdict) -> str:
    """The verdict as plain text for a chat message."""
    labels = load_rules().raw["labels"]
    if verdict.form == "question" and not verdict.deliberate:
        head = "An open question" if verdict.open else "A closed question"
    else:
        head = _DELIBERATE.get(verdict.deliberate) or _GOOD[verdict.form]
    if not verdict.issues:
        if head.endswith("question"):
            return f"{head}, and nothing I would change. It leaves room for the person's own story."
        return f"{head} Nothing I would change."
    if head.endswith("question"):
        head += ", with something to look at." if verdict.open else "."
    lines = [head, ""]
    lines += [f"• {labels[i.code]}: {i.explanation}" for i in verdict.issues]
    if verdict.suggestions:
        lines += ["", "You could try:"]
        lines += [f"• {s}" for s in verdict.suggestions]
    return "\n".join(lines)
