"""Use cases: one function per thing a user or the clock does.

Each takes a unit of work and a clock (and the travel-time source where routes are
involved), so the API, the CLI, the simulator and the tests drive the same code.
"""
