"""Decision analysis (issue 8): minimal sets of changes, conflicts with RFC 3261, BCP or standards track."""
