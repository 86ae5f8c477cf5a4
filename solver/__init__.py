"""Routing maths: travel times, the OR-Tools day model and fast insertion.

Nothing here knows about the database or HTTP, so every piece can be benchmarked
and fuzzed on its own.
"""
