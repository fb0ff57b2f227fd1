"""Decision analyses over the rule table (DESIGN.md flows 5 and 6): minimal sets of changes, conflicts with
RFC 3261, BCP or standards track (issue 8); readings, ambiguities and diff (issue 9)."""
