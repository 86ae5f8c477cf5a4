"""A solver-neutral day: vehicles, visits, a matrix. No OR-Tools, no database."""

from solver.model.problem import (
    Break,
    Pins,
    Problem,
    ProblemError,
    Vehicle,
    Visit,
    Window,
)
from solver.model.solution import Dropped, Route, Solution, StopTime

__all__ = [
    "Break",
    "Dropped",
    "Pins",
    "Problem",
    "ProblemError",
    "Route",
    "Solution",
    "StopTime",
    "Vehicle",
    "Visit",
    "Window",
]
