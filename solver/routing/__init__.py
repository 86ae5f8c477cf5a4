"""The OR-Tools day optimiser (see ``ortools_model``)."""

from solver.routing.ortools_model import SearchConfig, solve

__all__ = ["SearchConfig", "solve"]
