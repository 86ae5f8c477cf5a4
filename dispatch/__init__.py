"""The dispatch domain and its use cases.

``domain`` is plain Python (no FastAPI, no SQLAlchemy); ``services`` holds one use case
per thing a user or the clock does; ``store`` persists the domain with SQLAlchemy.
"""
