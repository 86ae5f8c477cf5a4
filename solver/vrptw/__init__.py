"""Solomon / Gehring-Homberger VRPTW instances under the DIMACS convention."""
