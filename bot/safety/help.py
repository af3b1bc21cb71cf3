"""The always-on safety net, part two: where to get help (configurable per deployment) and
what to say, calm and short, when a message shows a risk. `bot.safety.risk` spots the risk."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.errors import ConfigError
from bot.safety.risk import CATEGORIES, DATA_DIR, SafetyCheck, as_mapping, read_yaml

RESOURCES_FILE = DATA_DIR / "resources.yaml"
RESOURCES_ENV = "COACH_SAFETY_RESOURCES"


# ---------------------------------------------------------------- where to get help


@dataclass(frozen=True)
class Resource:
    """One place to get help, shown as "<name>: <how> <number> <after>", or `when_unset` if no number."""

    name: str
    number: str | None
    how: str = "call"
    after: str = ""
    when_unset: str = ""
    categories: tuple[str, ...] = ()

    def line(self) -> str:
        if not self.number:
            return self.when_unset
        return " ".join(f"{self.name}: {self.how} {self.number} {self.after}".split())


@dataclass(frozen=True)
class Resources:
    emergency: Resource
    samaritans: Resource
    nhs_111: Resource
    shout: Resource
    safeguarding: Resource
    extra: tuple[Resource, ...] = ()
    note: str = ""


_SERVICES = ("emergency", "samaritans", "nhs_111", "shout", "safeguarding")
_RESOURCE_KEYS = {"name", "number", "how", "after", "when_unset", "categories"}


def load_resources(path: Path | None = None) -> Resources:
    """UK defaults, overlaid with `path` or the file named by COACH_SAFETY_RESOURCES if set."""
    if path is None and os.environ.get(RESOURCES_ENV, "").strip():
        path = Path(os.environ[RESOURCES_ENV].strip())
    defaults = read_yaml(RESOURCES_FILE)
    override = read_yaml(path) if path is not None else {}
    return _build_resources(defaults, override, str(path) if path else str(RESOURCES_FILE))


def _build_resources(defaults: dict[str, Any], override: dict[str, Any], where: str) -> Resources:
    unknown = sorted(set(override) - {*_SERVICES, "extra", "note"})
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' (expected {', '.join((*_SERVICES, 'extra', 'note'))})")
    built: dict[str, Resource] = {}
    for key in _SERVICES:
        merged = dict(defaults.get(key) or {})
        if key in override:
            merged.update(as_mapping(override[key], f"{where}: {key}"))
        built[key] = _resource(merged, f"{where}: {key}", number_required=key != "safeguarding")
    extras = override["extra"] if "extra" in override else defaults.get("extra")
    extras = [] if extras is None else extras
    if not isinstance(extras, list):
        raise ConfigError(f"{where}: extra must be a list")
    extra = tuple(_resource(as_mapping(e, f"{where}: extra[{n}]"), f"{where}: extra[{n}]", True)
                  for n, e in enumerate(extras))
    note = override.get("note", defaults.get("note", ""))
    if not isinstance(note, str):
        raise ConfigError(f"{where}: note must be text")
    return Resources(extra=extra, note=note.strip(), **built)


def _resource(data: dict[str, Any], where: str, number_required: bool) -> Resource:
    unknown = sorted(set(data) - _RESOURCE_KEYS)
    if unknown:
        raise ConfigError(f"{where}: unknown key '{unknown[0]}' (expected {', '.join(sorted(_RESOURCE_KEYS))})")
    for key in ("name", "how", "after", "when_unset"):
        if not isinstance(data.get(key, ""), str):
            raise ConfigError(f"{where}: {key} must be text")
    name = data.get("name", "").strip()
    if not name:
        raise ConfigError(f"{where}: name is missing")
    raw = data.get("number")
    if raw is not None and not isinstance(raw, str | int):
        raise ConfigError(f"{where}: number must be text, like \"0300 123 4567\"")
    number = str(raw).strip() if raw is not None else ""
    if number and not re.search(r"\d", number):
        raise ConfigError(f"{where}: number '{number}' has no digits")
    if number_required and not number:
        raise ConfigError(f"{where}: number is missing")
    if not number and not data.get("when_unset", "").strip():
        raise ConfigError(f"{where}: give a number, or when_unset text to show instead")
    cats = data.get("categories", [])
    if not isinstance(cats, list) or any(c not in CATEGORIES for c in cats):
        raise ConfigError(f"{where}: categories must be a list drawn from {', '.join(CATEGORIES)}")
    return Resource(name=name, number=number or None, how=data.get("how", "call").strip(),
                    after=data.get("after", "").strip(), when_unset=data.get("when_unset", "").strip(),
                    categories=tuple(cats))


# ---------------------------------------------------------------- what to say

_OPENING = {
    "immediate_danger": "This sounds urgent. If anyone is hurt or in danger now, call 999 straight away.",
    "suicide_self_harm": "Thank you for telling me. I am sorry things feel so hard right now. You do not have to "
                         "deal with this alone.",
    "abuse_neglect": "Thank you for telling me. Nobody should be hurt, frightened or neglected. "
                     "You were right to say something.",
    "carer_breaking_point": "Thank you for telling me. Caring can push anyone to their limit. Asking for help "
                            "is the right thing to do.",
}
_ORDER = {
    "immediate_danger": ("emergency", "samaritans"),
    "suicide_self_harm": ("emergency", "samaritans", "nhs_111", "shout"),
    "abuse_neglect": ("emergency", "safeguarding", "samaritans"),
    "carer_breaking_point": ("samaritans", "nhs_111", "safeguarding", "emergency"),
}
BOT_LIMITS = "I am a computer program. I cannot send help or tell anyone, but these people can help now:"
PAUSE_LINE = ("You can pause here and come back later, or carry on with the questions when you are ready. "
              "Type /help to see these numbers again.")


def safety_message(check: SafetyCheck, resources: Resources) -> str:
    """A short, calm reply for a risky message: plain text, category first, then what to do now."""
    primary = check.category or "suicide_self_harm"
    keys: list[str] = []
    for category in (primary, *check.categories):
        keys += [k for k in _ORDER.get(category, _ORDER["suicide_self_harm"]) if k not in keys]
    lines = [getattr(resources, k).line() for k in keys]
    lines += [r.line() for r in resources.extra if set(r.categories) & {primary, *check.categories}]
    parts = [_OPENING.get(primary, _OPENING["suicide_self_harm"]), BOT_LIMITS, "\n".join(f"- {x}" for x in lines)]
    if resources.note:
        parts.append(resources.note)
    parts.append(PAUSE_LINE)
    return "\n\n".join(parts)


def help_text(resources: Resources) -> str:
    """What /help shows: every place to get help, at any time."""
    keys = ("emergency", "samaritans", "nhs_111", "shout", "safeguarding")
    lines = [getattr(resources, k).line() for k in keys] + [r.line() for r in resources.extra]
    parts = ["If you need help now:", "\n".join(f"- {x}" for x in lines)]
    if resources.note:
        parts.append(resources.note)
    parts.append("This coach is not an emergency service. It cannot send help or tell anyone what you write.")
    return "\n\n".join(parts)
