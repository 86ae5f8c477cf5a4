"""Persistence: SQLAlchemy tables, repositories that map rows to the domain, and the
unit of work that commits a use case's changes in one transaction."""
