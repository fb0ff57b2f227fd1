"""Decision analyses over the rule table: readings and ambiguities, diff (DESIGN.md flow 6)."""
