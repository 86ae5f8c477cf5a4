"""Plain-Python domain model: what dispatch decides, with no I/O."""
