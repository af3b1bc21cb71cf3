"""The always-on safety net's knowledge, pure apart from reading its YAML data.

    risk  check_safety: does a message show a risk, and of what kind (patterns in data/patterns.yaml)
    help  where to get help (data/resources.yaml, or COACH_SAFETY_RESOURCES) and what to say

Every typed message is checked before anything else; the conversation's glue is
`bot.conversation.safety_net`.
"""

from __future__ import annotations

from bot.safety.help import RESOURCES_ENV, Resource, Resources, help_text, load_resources, safety_message
from bot.safety.risk import CATEGORIES, SafetyCheck, check_safety, load_safety_rules, normalise

__all__ = ["CATEGORIES", "RESOURCES_ENV", "Resource", "Resources", "SafetyCheck", "check_safety", "help_text",
           "load_resources", "load_safety_rules", "normalise", "safety_message"]
