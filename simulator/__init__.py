"""The day simulator (issue 18): calm and disrupted days replayed at full speed through
the real use cases, every promise measured. ``record`` is what a simulated day leaves
behind; ``metrics`` judges it; ``report`` draws it."""
