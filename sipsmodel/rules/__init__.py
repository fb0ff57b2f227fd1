"""The rule table, choice points and rule sets (SIPS-RULES.md section A)."""

from sipsmodel.rules.choicepoints import CHOICE_POINTS, ChoicePoint
from sipsmodel.rules.engine import allowed_options, choose_default, violated_rules
from sipsmodel.rules.rule import Rule
from sipsmodel.rules.sets import PRESETS, RuleSet, load_rule_set, preset
from sipsmodel.rules.table import RULES, RULES_BY_ID, UNEXPRESSED

__all__ = [
    "CHOICE_POINTS",
    "PRESETS",
    "RULES",
    "RULES_BY_ID",
    "UNEXPRESSED",
    "ChoicePoint",
    "Rule",
    "RuleSet",
    "allowed_options",
    "choose_default",
    "load_rule_set",
    "preset",
    "violated_rules",
]
