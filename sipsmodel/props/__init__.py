"""Properties (I-... of SIPS-RULES.md section E): loading ``properties/`` and evaluating on traces."""

from sipsmodel.props.evaluate import Evaluation, evaluate_property, locate_violation, violations
from sipsmodel.props.property import VERDICTS, Property, load_properties, load_property

__all__ = [
    "VERDICTS",
    "Evaluation",
    "Property",
    "evaluate_property",
    "load_properties",
    "load_property",
    "locate_violation",
    "violations",
]
