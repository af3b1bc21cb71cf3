"""The always-on safety net's knowledge, pure apart from reading its data.

    risk        check_safety: does a message show a risk, of what kind, and which band (signpost,
                check_in or none); text read as typed, context
    rules       the patterns in data/patterns.yaml, checked and compiled once
    classifier  the pure-Python scorer for data/classifier.json, and safety_warning() when it is off
    labelled    the labelled set and the blind batches, read and checked
    train       python -m bot.safety.train: retrain, or score a new batch at first sight (scikit-learn)
    help        where to get help (data/resources.yaml, or COACH_SAFETY_RESOURCES) and what to say

Every typed message is checked before anything else; the conversation's glue is
`bot.conversation.safety_net`.
"""

from __future__ import annotations

from bot.safety.classifier import SafetyModel, load_model, safety_warning
from bot.safety.help import RESOURCES_ENV, Resource, Resources, help_text, load_resources, safety_message
from bot.safety.risk import CATEGORIES, SafetyCheck, check_safety, fold, load_safety_rules, normalise

__all__ = ["CATEGORIES", "RESOURCES_ENV", "Resource", "Resources", "SafetyCheck", "SafetyModel", "check_safety",
           "fold", "help_text", "load_model", "load_resources", "load_safety_rules", "normalise", "safety_message",
           "safety_warning"]
