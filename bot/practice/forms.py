"""What kind of line a practitioner wrote: a question, a reflection, a summary, a request for
consent or a statement; whether it is open; and whether a closed question is closed on purpose
(consent, checking you understood, how often, willing and able, a safety check, asking for the number on a
scale), which is good practice, not a fault."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.practice.clauses import kind, question_sentences, sentences, strip_softeners
from bot.practice.rules import Rules

FORMS = ("question", "reflection", "summary", "consent", "statement")
DELIBERATE = ("consent", "check", "frequency", "willing_able", "safety", "scale")
_TAG = re.compile(r",\s*(isn't|aren't|wasn't|weren't|don't|doesn't|didn't|won't|wouldn't|can't|couldn't|haven't|"
                  r"hasn't|shouldn't|is|are|do|does|did|will|would|can|have|has|right|yes|no|yeah|surely|ok|okay|"
                  r"eh|correct|true)\b(\s+[a-z']+){0,3}\s*\?$")  # a short tag, not a question after a lead-in
BARE_TAG = re.compile(r", (isn't|aren't|wasn't|don't|doesn't|didn't|won't|wouldn't|can't|haven't|hasn't|is|are|"
                       r"do|does|did|will|would|can|have|has) (it|you|he|she|they|we|there|that)\?$")
_STRONG_REFLECTION = re.compile(r"^(it sounds|sounds|it seems|it feels|that sounds|that doesn't sound|it doesn't sound|"
                                r"what i'm hearing|"
                                r"what i am hearing|i'm hearing|i hear|i get the sense|i'm getting the sense|i sense|"
                                r"so you're saying|so you are saying|part of you|on the one hand|i can hear)\b")
_STRONG_SUMMARY = re.compile(r"\b(sum up|summaris|summariz|recap|pull (that|it|this|things) together|pulling (that|it|"
                             r"this|things)? ?together|putting (that|it) together|so far|read back|play back)\b")
_PROPOSES = re.compile(r"\b(could|should|ought to|might|may be able to|can always|could always|will have to|"
                       r"'ll have to|would be able to|will need to|'ll need to|so (he|she|they) can)\b")
_INFORMS = re.compile(r"^(you (have|'ve got|have got) (a|the|every) right|you're entitled|you are entitled|"
                      r"you're welcome to|you are welcome to|"
                      r"you (don't|do not) have to|you (can|may) (always )?(stop|ask|say|tell|change|take|have|"
                      r"bring|call|ring|get|choose|decide|pause|come back|leave|skip)|"
                      r"you('ll| will) (get|receive|be sent|have a copy)|there (are|is) no (right|wrong)|"
                      r"there's no (right|wrong|rush|pressure)|feel free|take your time|"
                      r"what happens (now|next) is|the next (step|thing) is|"
                      r"what (we need to do|i'm going to do|i am going to do|i'll do|we're going to do)"
                      r"( today| now| next)? is|"
                      r"(don't|do not|try not to) worry\b|"
                      r"(that's|that is|it's|it is)( only| just| perfectly| completely| quite| very| all)? "
                      r"(normal|natural|to be expected|understandable|common)\b|"
                      r"(it's|it is|that's|that is) (entirely |completely |totally )?"
                      r"(up to you|your (choice|decision|call))|"
                      r"if [^,]{3,60}, (you|he|she|they) (can|could) (always )?"
                      r"(ring|call|phone|text|email|contact|get in touch|complain|ask for|request|speak to|talk to)|"
                      r"(anything|everything|what) you (tell|say to|share with) (me|us)\b|"
                      r"([a-z]+ )?(carers|you|he|she|they|everyone|young carers) "
                      r"(can|could|are entitled to|have a right to) "
                      r"(have|get|ask for) (their|your|his|her|an?) (own )?(assessment|carer's assessment))")
_TELL = re.compile(r"\b(tell me|talk me through|walk me through|take me through|describe|explain|say (a bit )?more)\b")
_IMPERATIVE = re.compile(r"^(tell me|talk me through|walk me through|describe|explain|say (a bit )?more|help me "
                         r"understand|take me through|give me an example|paint me a picture|share|"
                         r"give (me|us) (a|your) (number|score)|put a (number|score) on|"
                         r"rate (your|his|her|their|the|how))\b")


@dataclass(frozen=True)
class Shape:
    """A line's form, whether it is open, its question clauses, and why it is closed on purpose."""

    form: str
    open: bool
    kinds: tuple[str, ...]
    mains: tuple[str, ...]
    asked: tuple[str, ...]
    deliberate: str = ""


def shape_of(norm: str, rules: Rules) -> Shape:
    """The shape of one normalised line."""
    if not norm:
        return Shape("statement", False, ("declarative",), ("",), ("",))
    said = sentences(norm)
    body, checked = _without_check(said, rules)
    asked = question_sentences(norm)
    found = [kind(s, rules) for s in asked]
    kinds, mains = tuple(k for k, _ in found), tuple(m for _, m in found)
    form = _form(said, body, checked, kinds, rules)
    if form in ("reflection", "summary", "statement"):  # open means an open question: these are not questions
        return Shape(form, False, kinds, mains, tuple(asked))
    if not norm.rstrip(".!").endswith("?"):
        kinds = tuple("closed" if k == "declarative" else k for k in kinds)
    number = asks_number(norm, mains[0], rules)
    tagged = len(asked) == 1 and bool(BARE_TAG.search(norm))  # "What stops him is the drink, isn't it?" wants yes
    is_open = kinds[0] == "open" and not number and form != "consent" and not tagged
    if form == "consent":
        deliberate = "consent"
    elif (not body and checked) or _CLARIFIES.match(norm) or _CLARIFIES.match(asked[-1]):
        deliberate = "check"
    elif kinds[0] == "declarative" or _TAG.search(said[-1] if said else ""):
        deliberate = ""  # a statement said as a question presumes its answer: not closed on purpose
    elif number:
        deliberate = "scale"
    else:
        deliberate = "" if is_open else _deliberate(norm, mains, rules)
    return Shape(form, is_open, kinds, mains, tuple(asked), deliberate)


_CLARIFIES = re.compile(r"^(so,? |sorry,? )?(just )?(to (check|confirm|be clear|be sure|make sure)|can i (just )?check|"
                        r"so (i'm|i am) (clear|sure)),? "
                        r"(you|you're|you'd|you've|he|she|they|it|it's|that|is|was|are|do|did|does)\b"
                        r"|^(so,? |sorry,? )?(just )?(did you say|do you mean|did you mean|you mean|"
                        r"when you say [^?]+?,? (do you mean|is that|is it|are you talking about|you mean)|"
                        r"did i hear you (right|say)|"
                        r"am i right (that|in thinking))\b"
                        r"|^(so,? )?(just )?(did|have) i (get|got|understood|understand|hear|heard)\b[^?,]{0,40}"
                        r"\b(right|correctly|properly)\b")
# What an end of a scale is said to be with no verb ("0 the worst", "10 how you'd want things").
BARE_END = (r"the worst|the best|the lowest|life as|things as|everything as|"
            r"(?:how|the way) (?:you|he|she|they)(?:'d| would)? (?:want|like)")
_ANCHOR = re.compile(r"(?:^|\b(?:if|where|with|and|from|to)\s|,\s)(?:0|1|10|zero|nought|one|ten)(?:'s|,? "
                     rf"(?:is|being|means|meaning|stands for|would be)\b| (?=(?:{BARE_END})\b))")
_FOLLOW_UP = re.compile(r"^(what|what's|why|why's|how come|tell|talk|describe|walk|who|which)\b(?! (number|score)\b)"
                        r"(?! would you (give|put|score|rate|say)\b)"
                        r"(?! (your|his|her|their|the|it|things|that)\b[^?,]{0,30}\b(out of|on a scale|on the "
                        r"scale)\b)")


# "From 0, not coping at all, to 10, coping as well as you'd like, ...": the ends said between commas
FROM_TO = re.compile(r"\bfrom (?:0|zero|nought|1|one),\s*([^,]+?),\s*to (?:10|ten),\s*([^,?]+)")


def anchored(norm: str) -> bool:
    """The line says what an end of its scale stands for ("where 10 is how you'd want things")."""
    return bool(_ANCHOR.search(norm) or FROM_TO.search(norm))


def is_scale(norm: str, rules: Rules) -> bool:
    """The line sets out a scale: "on a scale of 0 to 10", "out of 10", "if 10 is ..."."""
    return bool(rules.scale.search(norm) or _ANCHOR.search(norm) or FROM_TO.search(norm))


def asks_number(norm: str, main: str, rules: Rules) -> bool:
    """A scaling question that asks for the number ("Where would you put yourself, 0 to 10?"): a number
    answers it, so it is closed, on purpose. Its follow-ups ("What puts you at 4 and not 0?") are open."""
    if not is_scale(norm, rules):
        return False
    head, _ = strip_softeners(main, rules)
    return not _FOLLOW_UP.match(head) and not re.search(r"\b(?:and|then),? (?:what|why|how come|tell me)\b", norm)


def _without_check(said: list[str], rules: Rules) -> tuple[list[str], bool]:
    """The sentences without a closing "Have I got that right?", and whether there was one. A question
    before it ("How are you finding it, and what would you change?") makes it a second question instead."""
    if not said:
        return said, False
    last = said[-1]
    match = rules.check_endings.search(last)
    if not match and len(said) > 1 and (_ANYTHING_ELSE.match(last) or _ONE_WORD_CHECK.match(last)):
        return said[:-1], True  # "So the main things are ... Anything else?" / "... Fair?"
    if not match:
        return said, False
    rest = last[: match.start()].rstrip(" ,;:-")
    first_check = rules.check_endings.search(re.sub(r",? (and|or)$", "", rest) + "?")  # "Is that all, or have I ...?"
    if first_check and rest:
        rest = rest[: first_check.start()].rstrip(" ,;:-")
    if rest and kind(rest + "?", rules)[0] != "declarative" and not rules.summary_starts.match(rest):
        return said, False
    head = [*said[:-1], rest] if rest else said[:-1]
    return head, True


_ONE_WORD_CHECK = re.compile(r"^(fair( enough)?|right|okay|ok|correct|yes|yeah|true|agreed|what else( is there)?)\?$")
_ANYTHING_ELSE = re.compile(r"^(and |so )?(is there )?anything else( (you'd|you would|you want|you'd like|"
                            r"you would like|to add|i should know)[a-z ]*)?\?$")


_OK_WITH_THAT = re.compile(r"^(is that|would that be|are you|would you be) (ok|okay|alright|all right|fine|happy|"
                           r"comfortable|better|easier)( with (that|you|this)| for you)?\?$"
                           r"|^would (that|it) (suit you|help|work for you|be better|be easier)\?$"
                           r"|^(would|do) you mind( at all)?\?$")
_PLAN = re.compile(r"\b(i'd like to|i would like to|i want to|i'm going to|i am going to|i need to|i'll|we'll|"
                   r"we can (leave|stop|come back|pick|park|save|take a break|pause)|"
                   r"i'd like us to|(asked|like|want|wants) to (stay|sit in|join us|be here))\b")


def _form(said: list[str], body: list[str], checked: bool, kinds: tuple[str, ...], rules: Rules) -> str:
    if any(_is_consent(s, rules) for s in said):
        return "consent"
    if len(said) > 1 and _OK_WITH_THAT.match(said[-1]) and _PLAN.search(said[-2]):
        return "consent"  # "I'd like to ask about your own health too. Is that alright?"
    if not body:
        return "question"
    first, _ = strip_softeners(body[0], rules)
    if len(body) > 1 and _CHECKS_UNDERSTOOD.match(first):  # "Can I just check I've understood? You ..."
        body = body[1:]
        first = strip_softeners(body[0], rules)[0]
        return "summary" if _count_items(body) >= 2 or len(body) > 1 else "reflection"
    summary_start = bool(rules.summary_starts.match(body[0]) or rules.summary_starts.match(first))
    if _TAG.search(said[-1]) and not checked:  # "..., right?": a question, unless it recaps several things
        untagged = [*body[:-1], _TAG.sub("", body[-1])] if body else body  # the tag's own comma is not an item
        recap = summary_start or (_count_items(untagged) >= 3 and bool(rules.reflection_starts.match(first)))
        return "summary" if recap else "question"
    if not any(s.endswith("?") for s in said) and _INFORMS.match(first):
        return "statement"
    if summary_start and len(body) > 1 and len(body[0].split()) <= 5:  # "Can I recap? ..."
        body = body[1:]
        first, _ = strip_softeners(body[0], rules)
    reflective = bool(rules.reflection_starts.match(first) or rules.reflection_starts.match(body[0]))
    statements = [s for s in body if not s.endswith("?")]
    items = _count_items(body)
    words = sum(len(s.split()) for s in body)
    if len(statements) < len(body):
        if len(body) > 1 or _opens_question(first, rules):
            return "question"
        if summary_start:
            return "summary" if items >= 2 else "reflection"
        return "reflection" if _STRONG_REFLECTION.match(first) else "question"
    if summary_start:
        many = items >= 2 or len(statements) >= 2 or _STRONG_SUMMARY.search(body[0])
        return "summary" if many else "reflection"
    if checked and items >= 2 and not rules.advice.search(first):  # said back in parts, then checked
        return "summary"
    if rules.advice.search(first) or (rules.reflection_weak.match(first) and _PROPOSES.search(first)):
        return "statement"
    if reflective and not _opens_question(first, rules):
        one_feeling = len(body) == 1 and not checked and _STRONG_REFLECTION.match(first)  # "It sounds like, ..."
        if not one_feeling and ((items >= 2 and words >= 12 and (checked or len(statements) >= 2 or items >= 3))
                                or (len(statements) >= 3 and checked)):
            return "summary"
        if rules.reflection_weak.match(first) and (not _says_something(first) or _CONCLUDES_NEED.search(first)
                                                   or _OWN_VIEW.search(first)):
            return "statement"
        return "statement" if _RECORDS.search(first) else "reflection"
    if _IMPERATIVE.match(first) or rules.requests.match(first):
        return "question"
    if checked:  # said back, then "Have I got that right?"
        return "summary" if items >= 2 else "reflection"
    stem = rules.open_starts.match(first) or rules.closed_starts.match(first)
    if kinds and kinds[0] in ("open", "closed") and stem:
        return "question"
    if is_scale(first, rules) and rules.stem_anywhere.search(first):  # "scale of 0 to 10 how much is..."
        return "question"
    if re.match(r"so\b", body[0]) and (_says_something(first) or items >= 3):
        return "summary" if items >= 3 and words >= 12 else "reflection"
    if _sounds_like_their_experience(first, rules) and not (_OWN_VIEW.search(first) or _RECORDS.search(first)
                                                            or _GENERAL.search(first)):
        return "reflection"
    return "statement"


# what the practitioner will write down ("..., so I'll put you down as independent"): their plan, not a reflection
_RECORDS = re.compile(r"\b(i'll|i will|we'll|we will) (just )?(put|write|record|note|mark)\b|"
                      r"\b(put|mark|write|record) (you|him|her|them) down as\b")
# what everyone in a position feels, said as a rule ("All carers get tired", "It's part of growing up"): a
# statement, not the person's own experience said back
_GENERAL = re.compile(r"^(all|most|lots of|many|every|plenty of) ([a-z]+ )?(carers|people|parents|families|mums|dads|"
                      r"mothers|fathers|students|teenagers|wives|husbands|daughters|sons)\b|"
                      r"\b(is|it's|that's) (just |all |simply )?part (and parcel )?of (being|looking after|caring|"
                      r"growing|getting|life|the job|having)\b")


_EXPERIENCE = re.compile(r"\b(you|your|you're|you've|yourself|hard|hardest|harder|tough|toughest|lonely|loneliest|"
                         r"frightening|frightened|scary|scared|exhausting|exhausted|worn out|a lot|difficult|upsetting|"
                         r"worst|pain|painful|"
                         r"worrying|worried|awful|heavy|overwhelming|sad|angry|frustrating|frustrated|proud|matters|"
                         r"means|miss|missing|relief|precious|important|feels|felt|impossible|mattered|too much|"
                         r"a struggle|more than anything)\b")
_NOT_SAYING_BACK = re.compile(r"^(i|i'm|i'll|i've|i'd|we|we'll|we're|let's|thank|thanks|please|sorry|at least|"
                              r"(lots of|loads of|most|many|plenty of|a lot of) (people|carers|mums|dads|parents|kids|"
                              r"children|families|older people|young people)|everyone|everybody|we all|people|"
                              r"luckily|thankfully|fortunately|the service user|the client|the person|mr|mrs|ms|miss|"
                              r"the council|the team|the agency|the service|the assessment|the review|the panel|"
                              r"dr|there's a|there is a|a |an )\b|\b(need|needs|needed|declined|refused|refuses)\b")


_CONCLUDES_NEED = re.compile(r"\bneed(s|ed)?\b[^.?!]*\b(us|help|support|carers|services|much|anything|any|a carer)\b"
                             r"|,? so (that's|it's|that is|it is) (fine|ok|okay|sorted|covered|all right|alright|"
                             r"good)\b|\byou'll be (fine|ok|okay|alright|all right)\b")


# the practitioner's own plan, verdict or generalisation, not the person's words said back ("I won't put that
# down", "so you'll get a budget", "shouldn't be a problem", "compared to most people", "just what mums do")
_OWN_VIEW = re.compile(r"\b(i'll|i will|i won't|i will not|i'm afraid)\b|\bwe('ll| will) (still |also )?(need|record|"
                       r"write|put|include|send|look|arrange|ring|call|come|leave)\b|\bso (you|he|she|they)('ll| will) "
                       r"(get|have|be able)\b|\bshouldn't be\b|\bcompared (to|with)\b|\bpart and parcel\b|"
                       r"\bcomes with the (job|territory)\b|\b(just|simply) what [a-z]+ do\b|"
                       r"\bso (we|i) (can|can't|won't|will|'ll|only|don't|do not|need|needn't|should)\b|"
                       r"\b(you'll|you will) (be able to|have (more )?time|manage|be fine)\b|\bso naturally\b|"
                       r"\bmust be (coping|managing|doing) (fine|well|ok|okay|alright)\b|"
                       r", so [a-z' ]{1,30}\b(aren't|isn't|won't|wouldn't) (really )?(be )?(an issue|a problem|"
                       r"affect)\b|"
                       r"\b(that|it) (would|will|'d|'ll) (sort|solve|fix)\b|"
                       r"\bthat's (marriage|life|caring|family|old age|getting old|parenting|kids|teenagers) for you\b|"
                       r"\bi (wouldn't|would not|'d not) worry\b|\byou('re| are) lucky\b|"
                       r"\b(it's|that's) what [a-z]+ (is|do)\b|\bnot (a lot|much|anything) (we|i|anyone) can do\b|"
                       r"\byou won't be (rushed|charged|left|forced|made)\b|"
                       r"\b(goes|go|going|put|written|recorded) (in|into|on|down in|down on) the (assessment|plan|form|"
                       r"record|support plan)\b|\bwill be (worked out|decided|agreed|arranged|sorted|done|written)\b|"
                       r"\bwe can (look at|arrange|start|offer|refer|put|leave|skip)\b|\byou('d| would) get\b|"
                       r"\bwe('ll| will) (take|do|see|sort|get|have|make|look|keep|write|put)\b|"
                       r"\bshouldn't really be\b|"
                       r"\bwhat (any )?(mums|dads|mothers|fathers|parents|families|daughters|sons|wives|husbands|"
                       r"carers|people|daughter|son|wife|husband|mum|dad|family) (do|would do)\b|"
                       r"\b(loads|lots|plenty) of people\b|\bthat's just\b|\bi don't think (you|he|she|they) need\b|"
                       r"\byou'll get used to\b|\bi don't think (you|he|she|they)('ll| will| would|'d)\b")


def ends_in_tag(norm: str) -> bool:
    """Whether the line's last sentence ends in a tag question (", can't he?", ", isn't it?")."""
    said = sentences(norm)
    return bool(said and _TAG.search(said[-1]))


def _sounds_like_their_experience(first: str, rules: Rules) -> bool:
    """A statement about the person's experience or feelings ("Nights are the hardest.", "Lonely, since
    Bill died.") is saying back; one about the practitioner, a record, a proposal or a need is not."""
    return bool(_EXPERIENCE.search(first) and not _NOT_SAYING_BACK.search(first) and not _PROPOSES.search(first)
                and not rules.advice.search(first) and not _OWN_VIEW.search(first))


def _count_items(body: list[str]) -> int:
    """How many things are listed or joined: commas, semicolons, "and", "but", "also"."""
    return sum(len(re.findall(r",|;|\band\b|\bbut\b|\balso\b", s)) for s in body)


def _opens_question(sentence: str, rules: Rules) -> bool:
    clause, _ = strip_softeners(sentence, rules)
    return bool(re.match(r"^(what|how|who|where|when|why|which|do|does|did|is|are|can|could|would|will|have|has)\b",
                         clause)) and clause.endswith("?")


def _says_something(first: str) -> bool:
    """A weak reflection start ("Your ...", "So the ...") needs a verb of being, feeling or doing."""
    return bool(re.search(r"\b(is|are|was|were|has|have|had|been|feels?|felt|seems?|sounds?|matters?|means?|wants?|"
                          r"loves?|misses|needs?|keeps?|helps?|gets?|got|'s|'re|'ve|can't|won't|doesn't|don't|isn't|aren't|"
                          r"wasn't|weren't)\b", first))


def _is_consent(sentence: str, rules: Rules) -> bool:
    clause, _ = strip_softeners(sentence, rules)
    if _CHECKS_UNDERSTOOD.match(clause):
        return False  # "Can I just check I've understood? ..." opens a summary
    candidates = [sentence, clause]
    if "," in clause:  # after a lead-in: "Before we start, and I know it's a lot, could I take notes?"
        parts = [part.strip() for part in clause.split(",")[1:]] if sentence.endswith("?") else [
            clause.split(",", 1)[1].strip()]
        parts = [part for part in parts if not _BARE_ASK.match(part)]  # "..., can I just ask, ... what ...?" asks
        candidates += [c for part in parts for c in (part, strip_softeners(part, rules)[0])]
    if any(p.search(c) for p in rules.consent for c in candidates if c):
        return True
    return any(p.search(sentence) for p in rules.consent_trailing) and not _TELL.search(sentence)


_CHECKS_UNDERSTOOD = re.compile(r"^(can|could|may|let) (i|me) (just )?check (that )?(i've|i have|i) "
                                r"(understood|got|heard)\b")
_BARE_ASK = re.compile(r"^(and |so |but )?(can|could|may|might) i (just )?(ask|check)( you)?$")


def _deliberate(norm: str, mains: tuple[str, ...], rules: Rules) -> str:
    """Why a closed question is closed on purpose, or ""."""
    for name, patterns in rules.deliberate:
        if name == "frequency":
            heads = [strip_softeners(m, rules)[0] for m in mains[:1]]
            if any(p.search(h) for p in patterns for h in heads):
                return name
        elif any(p.search(norm) for p in patterns):
            return name
    return ""
