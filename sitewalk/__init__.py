"""The ``sitewalk`` command: a thin click CLI over the scanner, checks and reports packages."""
