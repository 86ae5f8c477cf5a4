"""The outer layer: HTTP (FastAPI) and the command line. Thin by design: it converts
requests into use-case calls and results into responses."""
