"""The architecture rules of DESIGN.md, checked on the import statements."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imported_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        names: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names.update(a.name.split(".")[0] for a in node.names)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                names.add(node.module.split(".")[0])
        found[str(path.relative_to(ROOT))] = names
    return found


def test_domain_model_imports_neither_fastapi_nor_sqlalchemy():
    for path, names in imported_modules("dispatch/domain").items():
        assert not names & {"fastapi", "starlette", "sqlalchemy", "alembic", "api"}, path


def test_solver_never_touches_the_database_or_the_dispatch_layer():
    for path, names in imported_modules("solver").items():
        assert not names & {"sqlalchemy", "alembic", "psycopg", "dispatch", "api"}, path


def test_use_cases_do_not_know_http():
    for path, names in imported_modules("dispatch").items():
        assert not names & {"fastapi", "starlette", "api"}, path
