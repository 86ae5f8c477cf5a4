"""Benchmark and synthetic-data tooling, kept apart from the product packages as PyVRP
keeps its ``benchmarks/``: the ``dispatch bench …`` and ``dispatch roads …`` commands
and the tests import it, the service never does."""
