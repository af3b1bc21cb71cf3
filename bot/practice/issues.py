"""Finding what could be better in a line, as issue codes, given its shape (see forms.py)."""

from __future__ import annotations

import re

from bot.practice.clauses import kind, sentences
from bot.practice.forms import BARE_END, FROM_TO, Shape, anchored
from bot.practice.rules import Rules

ISSUE_CODES = ("closed", "leading", "double", "why", "deficit", "jargon", "long", "scaling_direction",
               "substitution", "minimising")
_SAYS_BACK = ("reflection", "summary")


def find_issues(text: str, norm: str, shape: Shape, rules: Rules) -> set[str]:
    """The issue codes for one line."""
    if not norm:
        return {"closed"}
    codes: set[str] = set()
    if shape.form == "question" and not shape.open and not shape.deliberate:
        codes.add("closed")
    if any(p.search(norm) for p in rules.substitution) and not any(p.search(norm) for p in rules.substitution_not):
        codes.add("substitution")
    unanchored = FROM_TO.sub(" ", _ANCHOR_CLAUSE.sub(" ", norm))  # "10 is you're managing fine" says where it ends
    if (any(p.search(unanchored) for p in rules.minimising) and not any(p.search(norm) for p in rules.minimising_not)
            and shape.deliberate != "willing_able"):  # "Are you still able to ...?" asks; it does not presume
        codes.add("minimising")
    if _is_leading(unanchored, shape, rules, steered="substitution" in codes or "minimising" in codes,
                   substituted="substitution" in codes):
        codes.add("leading")
    if shape.form == "question" and _is_double(norm, shape, rules):  # a consent may offer a choice...
        codes.add("double")
    if shape.form == "consent" and any(p.search(norm) for p in rules.double_consent):  # ...not bundle several
        codes.add("double")
    if shape.form == "question" and _is_why(shape.mains, norm, rules):
        codes.add("why")
    if _is_deficit(norm, shape, rules, denied="minimising" in codes, led="leading" in codes) and not (
            "why" in codes and not rules.deficit_labels.search(norm)):  # a why question blames; it is not also deficit
        codes.add("deficit")
    if shape.form == "question" and any(p.search(norm) for p in rules.presumed_problem):
        codes |= {"leading", "deficit"}  # the problem taken as given: "How has his autism ruined family life?"
    if rules.jargon.search(norm) or any(p.search(norm) for p in rules.jargon_patterns) or _acronyms(text, rules):
        codes.add("jargon")
    if _is_long(norm, shape, rules):
        codes.add("long")
    if _scaled_wrong(norm, shape, rules):
        codes.add("scaling_direction")
    return codes


_CHECK_TAG = re.compile(r",?\s*(right|is that right|is that correct|is that fair|yeah|yes|ok|okay)\?$")
_THEIR_WORDS = re.compile(r"^(so,? )?(when|if) you say [^,?]+, ")  # "When you say you're fine, what...?"
_ASIDE_BEFORE_BUT = re.compile(r"^(?:(?!\byou|\byour)[^?])*?\bbut "
                               r"(?=(how|what|who|where|which|tell me|i (just )?wondered)\b)")


def _asked(norm: str, shape: Shape) -> str:
    """The part of a line that asks: without an aside before "but how..." that is not about the person
    ("Obviously everyone's different, but how do you feel...?"), and without the check at the end of a
    summary ("..., right?")."""
    aside = _ASIDE_BEFORE_BUT.match(norm) or _THEIR_WORDS.match(norm)
    asked = norm[aside.end():] if aside else norm
    return _CHECK_TAG.sub("", asked) if shape.form in _SAYS_BACK else asked


def _is_leading(norm: str, shape: Shape, rules: Rules, *, steered: bool, substituted: bool) -> bool:
    """Hinting at the answer or offering your own solution. A suggestion of unpaid help ("Could your
    daughter...?") is substitution, not leading as well. A statement put as a question ("You're managing
    the stairs?", "So that's covered by your son then?") leads too, whatever else it does, unless the
    question is asked inside it ("I was wondering ... whether you could tell me ...")."""
    asked = _asked(norm, shape)
    if shape.form in _SAYS_BACK:  # "..., the nights - have I missed anything?" checks; it does not lead
        asked = rules.check_endings.sub("", asked) or asked
    if shape.form == "consent" or shape.deliberate == "check":  # "..., is that alright?", "..., is it Aisha?"
        asked = _ASKS_BACK.sub("?", _CHECK_LEAD.sub("", asked))  # "Just to check, do you still drive?"
    tagged = [asked, *(s for s in sentences(asked)[:-1] if s.endswith("?") and not steered)]  # "..., is it? More..."
    if any(p.search(t) for p in rules.leading for t in tagged):
        return True
    if not substituted and any(p.search(asked) for p in rules.leading_suggestion):
        return True
    if shape.form == "statement":
        return bool(rules.advice.search(norm))
    if shape.form != "question":
        return False
    if not steered and any(p.search(asked) for p in rules.leading_asked):
        return True
    return (shape.kinds[0] == "declarative" and rules.raw["declarative_is_leading"] and not rules.scale.search(norm)
            and not _EMBEDDED.search(norm) and shape.deliberate != "check")


_CHECK_LEAD = re.compile(r"^(so,? |sorry,? )?(just )?(to (check|confirm|be clear|be sure|make sure)|"
                         r"can i (just )?check|so (i'm|i am) (clear|sure)),\s*")
_ASKS_BACK = re.compile(r",\s*(is|would|will) (that|it|this) (be )?(ok|okay|alright|all right|fine)"
                        r"( with you| for you)?\?$|,\s*(is|was) (it|that) [^,?]{1,30}\?$")
_EMBEDDED = re.compile(r"\bwhether\b|\bto what extent\b|\b(wanted|want) to ask\b|\bwondering\b[^?]*\b(if|what|how)\b")


_LEAD_IN = re.compile(r"^(so |and )?(what|how) about [^?]{1,40}\?$")  # "What about the WI ladies? Could they...?"
_GUESS = re.compile(r"^[^?]{0,40}\b(i'd guess|i guess|i imagine|i suppose|i bet|i'd say|isn't it|aren't you|"
                    r"don't you|right)\?$")  # "..., how happy are you? Pretty high, I'd guess?"


_STATE_PAIR = re.compile(r"\b(on|off|up|in|safe|fixed|mended|back) and (working|running)\b")  # one state, not two asks


def _is_double(norm: str, shape: Shape, rules: Rules) -> bool:
    """Two things asked at once. A lead-in naming who is meant ("What about the WI ladies?") and a guess
    tagged on the end ("Pretty high, I'd guess?") are not second questions (the guess leads instead)."""
    asked = [s for s in sentences(norm) if s.endswith("?")]
    if len(asked) >= 2 and _LEAD_IN.match(asked[0]):
        asked = asked[1:]
    if len(asked) >= 2 and _GUESS.match(asked[-1]):
        asked = asked[:-1]
    if len(asked) >= 2:
        return True
    if re.search(r"\bif (so|not)\b,? (what|where|how|who|when|why|which)\b", norm):
        return True
    if any(p.search(norm) for p in rules.double_patterns):
        return True
    for sentence, found in zip(shape.asked, shape.kinds, strict=True):
        for joined in rules.double_joined.finditer(sentence):  # a second question, not a lead-in's "but how"
            if kind(sentence[: joined.start()] + "?", rules)[0] != "declarative":
                return True
        if found == "closed" and rules.double_verbs.search(sentence) and not _STATE_PAIR.search(sentence):
            return True
    return False


def _is_deficit(norm: str, shape: Shape, rules: Rules, *, denied: bool, led: bool) -> bool:
    """"What can't you do" always; labels and problem words unless the line looks for what helps, is a
    safety check, denies the problem (that is minimising), presumes it (leading: "I expect the stairs
    are too much for you now?") or asks for it on a scale (which way the scale runs is the fault there).
    Said back, a problem word is the person's own; a string of them with nothing that works is a deficit
    summary. Asking for the best and the worst together is balanced, and an aside ("stop me if I'm
    wrong") is not the question."""
    if _NUMBER.search(norm) and rules.scaling_drop.search(norm):
        return False  # "now you're a 5, so what went wrong?": the drop asked about is the fault (scaling_direction)
    if _BALANCED.search(norm):
        norm = _WORST.sub(" ", norm)
    if any(p.search(norm) for p in rules.deficit_patterns):
        return (not (shape.deliberate == "scale" or anchored(norm)) or bool(_CANNOT.search(norm))
                or bool(_SCALED_LOSS.search(norm)))  # a label on a scale ("how reliant, out of ten?")
    if shape.deliberate == "scale" or anchored(norm):  # a scale counting a loss or a label is a deficit scale too
        return (not denied and _scaled_wrong(norm, shape, rules)
                and bool(_SCALED_LOSS.search(norm) or rules.deficit_labels.search(norm)))
    if denied:
        return False
    if shape.deliberate == "safety":  # a safety check asks about harm; a label in it is still a label
        return shape.form == "question" and bool(rules.deficit_labels.search(norm))
    plain = _ASIDES.sub(" ", norm)
    if led:  # presuming a problem leads; a label put on the person ("You're bedbound now, aren't you?") is deficit too
        return shape.form not in _SAYS_BACK and bool(rules.deficit_labels.search(plain))
    if shape.form in _SAYS_BACK:
        if any(not rules.deficit_own.fullmatch(m.group(0)) for m in rules.deficit_always.finditer(plain)):
            return True  # a label ("non-compliant", "his challenging behaviour") is not the person's own word
        problems = {m.group(0) for found in (rules.deficit_words, rules.deficit_always) for m in found.finditer(plain)}
        rest = rules.deficit_always.sub(" ", rules.deficit_words.sub(" ", plain))
        return len(problems) >= 2 and not rules.resource.search(rest)
    asks_openly = shape.open or shape.form != "question"  # "Any problems with dressing?" checks; it does not frame
    return bool(rules.deficit_always.search(plain)
                or (asks_openly and rules.deficit_words.search(plain) and not rules.resource.search(plain)))


def deficit_vetoed(norm: str) -> bool:
    """Problem words the rules read as not a deficit frame: the best and the worst asked together, or an
    aside ("given the problems you've been having with your hip, ...")."""
    return bool(_BALANCED.search(norm) or _ASIDES.search(norm))


_SCALED_LOSS = re.compile(r"\b(dependent|reliant|dependence|reliance|(a|big a|much of a)( [a-z]+)? risk|behaviour|"
                          r"much of a burden (is|does) (he|she|they|your (mum|dad|mother|father|husband|wife|son|"
                          r"daughter|partner|brother|sister|child|nan|gran|grandad|grandma))\b(?!')|"
                          r"burden (you feel|do you feel|you are)|"
                          r"because of (your|his|her|their) (deafness|blindness|sight loss|hearing loss|disability|"
                          r"condition|illness|diagnosis|dementia|autism|impairment|mental health)|"
                          r"(score|rate) (your|his|her|their) ([a-z]+'s )?(dementia|condition|illness|disability|"
                          r"depression|anxiety|memory loss)|"
                          r"behaviours|"
                          r"disabled|disability|impaired|aggression|"
                          r"difficult to (look after|care for|manage|live with))\b")
_CANNOT = re.compile(r"\b(can't|cannot|unable|not able|no longer)\b")


_BALANCED = re.compile(r"\b(best|good|easiest|nicest)\b[^?.]*\b(and|or)\b[^?.]*\b(worst|hardest|bad|toughest)\b"
                       r"|\b(worst|hardest|bad|toughest)\b[^?.]*\b(and|or)\b[^?.]*\b(best|good|easiest|nicest)\b")
_WORST = re.compile(r"\bworst (part|parts|bit|bits|thing|things)\b")
_ASIDES = re.compile(r"\b(?:if|when) (?:i'm|i am|i've got (?:it|that|this|anything)|i get (?:it|that|anything)) wrong\b"
                     r"|\b(?:tell me|let me know) if (?:anything|something)(?:'s| is)? wrong\b"
                     r"|\b(?:anything|something) (?:i've|i have) got wrong\b"
                     r"|\bif (?:anything|something)(?: in it| in there)?(?:'s| is) wrong\b"
                     r"|\bright or wrong\b|\bno (?:right|wrong) (?:or|and) (?:right|wrong)\b"
                     r"|\bwhat (?:have i|did i|i've) (?:got|get|gotten) wrong\b"
                     r"|\bwhen (?:things|it) (?:go|goes|went) wrong\b"
                     r"|\bno (?:right|wrong) answers?\b"
                     r"|\bunless (?:(?:i'm|i am|we're|we are) (?:worried|concerned) (?:that )?)?"
                     r"(?:someone|anyone|somebody|you|a child|there's|there is)\b"
                     r"[^?]*\b(?:risk|danger|harm)\b"
                     r"|\b(?:given|despite|considering|bearing in mind|with) (?:all )?(?:the|your|your own|his|her|"
                     r"their|those|these)(?: [a-z'-]+){0,2} (?:problems|difficulties|issues|struggles)\b[^,?]*"
                     r"|\bbefore (?:the|your|his|her|their|any of the|all the)(?: [a-z'-]+){0,2} "
                     r"(?:problems|difficulties|issues|trouble) (?:started|began|came|set in)\b")  # a time, not a frame


_NOW = re.compile(r"\b(?:at|gave it|gave yourself|gave|said|scored|rated it|rated|put it at|put yourself at)\s"
                  r"(?:an?\s)?(\d+)\b")
_OTHER = re.compile(r"\b(?:and not|rather than|not)\s(?:at\s)?(?:an?\s)?(\d+)\b")


def _compared(norm: str) -> tuple[int, int] | None:
    """(the number given, the number compared with) in 'at 6 and not 3' or 'You gave it 5. Why not 8?'."""
    now, other = _NOW.search(norm), _OTHER.search(norm)
    return (int(now.group(1)), int(other.group(1))) if now and other else None


def lower_comparison(norm: str) -> bool:
    """'Why are you at 6 and not 3?' compares with a lower number: the MI readiness ruler."""
    if re.search(r"\b(and not|rather than|not)\s(?:at\s)?(?:a\s)?(?:lower|zero|nought|one point lower)\b", norm):
        return True
    pair = _compared(norm)
    return bool(pair and pair[1] < pair[0])


def _scaled_upward(norm: str) -> bool:
    pair = _compared(norm)
    return bool(pair and pair[1] > pair[0])


_NUMBER = re.compile(r"\b(?:a|an|at|from|to|gave|said|scored) \d+\b|\bout of (?:10|ten)\b|\b(?:score|number|rating)\b")
_ANCHOR_CLAUSE = re.compile(r"(?:,\s*(?:(?:where|if|with) )?|\s*\b(?:where|if|with|from) )(?:0|1|zero|nought|one),? "
                            r"(?:is|being|means|meaning|stands for)\b[^?]*?"
                            r"(?:\b(?:and|to)|,) (?:10|ten),? (?:is|being|means|meaning|stands for)\b[^,?]*")


def _scaled_wrong(norm: str, shape: Shape, rules: Rules) -> bool:
    """Scaling in the wrong direction: why the number is not higher, why it fell, a scale whose number
    counts the problem, or a scale asked for with no word of which way it runs (what 10 stands for)."""
    if any(p.search(_ANCHOR_CLAUSE.sub(" ", norm)) for p in rules.scaling) or _scaled_upward(norm):
        return True  # what the ends stand for may name the problem ("0 means the pain stops you doing anything")
    if _NUMBER.search(norm) and rules.scaling_drop.search(norm) and not lower_comparison(norm):
        return True
    if anchored(norm):
        return _anchored_wrong(norm, rules)
    if shape.deliberate != "scale":
        return False
    if rules.scaling_problem.search(norm):
        return True
    return not (rules.scaling_rulers.search(norm) or re.search(r"\b(the|that|this|same) scale\b", norm))


_TOP = re.compile(rf"\b(?:10|ten)(?:'s|,? (?:is|being|means|meaning|stands for|would be)|(?= (?:{BARE_END})\b)) "
                  r"((?:(?!\band (?:0|1|zero|nought|one)\b)[^,?])*)")
_BOTTOM = re.compile(r"(?:^|\b(?:if|where|with|and|from)\s|,\s)(?:0|1|zero|nought|one)(?:'s|,? "
                     r"(?:is|being|means|meaning|stands for|would be)|(?= the (?:worst|lowest|best)\b)) "
                     r"((?:(?!\band (?:10|ten)\b)[^,?])*)")
_BAD_END = re.compile(r"\b(worst|awful|terrible|dreadful|unbearable|impossible|breaking point|can't|cannot|couldn't|"
                      r"not coping|not managing|not at all|no longer|really bad|very bad|the most|unable|not able|"
                      r"dependent|reliant|agony|in agony|overwhelmed|desperate|hopeless|completely lost|a wreck|"
                      r"suicidal|give up|giving up|shattered|exhausted|drained|nightmare|from hell|"
                      r"end of your tether|burnt out|burned out|terrified|severe|severely|high risk|depressed)\b")
_GOOD_END = re.compile(r"\b(fine|brilliant|brilliantly|great|perfect|perfectly|best|no (pain|problems|stress|worries)|"
                       r"coping well|managing well|(coping|managing) (fine|brilliantly|really well)|"
                       r"(fully |completely |totally )?independent)\b")


_PERFECT = re.compile(r"\s*(a |the )?((absolutely|totally|completely|just) )?(perfect|perfection|perfectly)\b|"
                      r"\s*(a |your )?(life )?with no (limits|limitations)\b")
_AS_BAD_AS = re.compile(r"\s*(as|the most) (frightened|scared|bad|unsafe|low|lonely|stressed|worried|ill|awful|anxious|"
                        r"tired|exhausted|overwhelmed|isolated|down|desperate|unhappy|sad|angry|hopeless)\b")
_FULLY = re.compile(r"\s*(completely|totally|extremely|very|all the time|the whole time|100 per ?cent)\W*$")


def _anchored_wrong(norm: str, rules: Rules) -> bool:
    """An anchored scale running the wrong way: 10 is the worst or perfection ("If 10 is the worst your pain's
    ever been", "If 10 is perfect"), 0 is doing well ("If 0 is coping brilliantly"), or only the bottom is
    said ("where 0 is awful"), leaving 10 unsaid."""
    ends = FROM_TO.search(norm)
    if ends:
        low, high = ends.group(1), ends.group(2)
        return bool(_BAD_END.search(high) or _PERFECT.match(high)
                    or (_GOOD_END.search(low) and not _BAD_END.search(low)))
    top, bottom = _TOP.search(norm), _BOTTOM.search(norm)
    if top:
        said = top.group(1)
        if _BAD_END.search(said) or _PERFECT.match(said):
            return True
        if _AS_BAD_AS.match(said) or (_FULLY.match(said) and rules.scaling_problem.search(norm)):
            return True
    if bottom:
        return bool(_GOOD_END.search(bottom.group(1)) and not _BAD_END.search(bottom.group(1))) or not top
    return False


def _is_why(mains: tuple[str, ...], norm: str, rules: Rules) -> bool:
    found = any(rules.why_starts.match(m) for m in mains) or bool(rules.why_inner.search(norm))
    return found and not lower_comparison(norm)


def _acronyms(text: str, rules: Rules) -> bool:
    allowed = {str(a).lower() for a in rules.raw["acronym_allow"]}
    for word in re.findall(r"\b[A-Z][A-Za-z0-9&]*[A-Z0-9]s?\b", text):
        bare = word[:-1] if word.endswith("s") and word[:-1].isupper() else word
        if bare.lower() not in allowed and sum(c.isupper() for c in bare) >= 2 and len(bare) <= 6:
            return True
    return False


def _is_long(norm: str, shape: Shape, rules: Rules) -> bool:
    """Too many words (more for what is said than for a question), too many long words in a line of some
    length, or too many sentences. Words of
    many syllables alone do not make a line long (blind writers flagged 1 of 20 such lines): that is jargon."""
    limits = rules.raw["long"]
    norm = _ANCHOR_CLAUSE.sub(" ", norm)  # saying what 0 and 10 stand for is part of asking a scale well
    words = re.findall(r"[a-z0-9']+", norm)
    long_words = [w for w in words if len(w) >= limits["long_word_letters"]]
    if shape.form == "summary":
        return len(words) > limits["summary_max_words"]
    dense = len(words) >= limits.get("min_words_for_hard", 0)  # a short line of long words is jargon, not long
    most = limits["max_words"] if shape.form == "question" else limits["said_max_words"]
    return (len(words) > most or (dense and len(long_words) > limits["max_long_words"])
            or len(sentences(norm)) > limits["max_sentences"])
