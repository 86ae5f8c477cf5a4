"""The day optimiser: ``pipeline.solve`` puts the parts together."""

from solver.routing.pipeline import solve
from solver.routing.search_config import SearchConfig

__all__ = ["SearchConfig", "solve"]
