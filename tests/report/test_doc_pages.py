"""The generated documentation pages cover every property and every collection."""

from __future__ import annotations

from sipsmodel.model.vocab import RECORD_SCHEMAS
from sipsmodel.props import load_properties
from sipsmodel.report.docpages import (
    UNEXPRESSED,
    properties_markdown,
    property_language_markdown,
    unexpressed,
)


def test_every_property_of_section_e_is_a_file_or_explained() -> None:
    have = {p.id.rstrip("b") for p in load_properties()}
    for n in range(1, 23):
        assert f"I-{n}" in have or f"I-{n}" in UNEXPRESSED, f"I-{n} neither expressed nor explained"
    assert set(unexpressed(load_properties())) == {"I-15", "I-19", "I-20", "I-21"}


def test_properties_page_lists_each_property_and_the_unexpressed() -> None:
    page = properties_markdown()
    for prop in load_properties():
        assert f"## {prop.id}: {prop.title}" in page
        assert prop.formula_text in page
    for prop_id in ("I-15", "I-19", "I-20", "I-21"):
        assert f"| {prop_id} |" in page


def test_language_page_lists_every_attribute_and_the_grammar() -> None:
    page = property_language_markdown()
    for name, schema in RECORD_SCHEMAS.items():
        assert f"### `{name}`" in page
        for attr in schema:
            assert f"| `{attr}` |" in page
    assert "QUANT.2" in page and "`secure(t)`" in page
