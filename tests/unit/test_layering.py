"""The architecture rules of DESIGN.md, checked on the import statements.

Data flows one way: api -> dispatch use cases -> domain / store / solver. Each rule
names a package and the modules it must not import; ``violations`` reads every file's
imports (absolute and relative, anywhere in the file) and reports each breach as
"file imports module". The last test shows the checker catching a planted breach, so
a rule that silently matches nothing cannot pass for a kept one.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def imports_of(path: Path, root: Path) -> set[str]:
    """Fully qualified modules a file imports."""
    package = list(path.relative_to(root).with_suffix("").parts[:-1])
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            found.add(module)
            found.update(f"{module}.{a.name}" for a in node.names)
    return found


def violations(root: Path, package: str, forbidden: set[str], skip: str = "") -> list[str]:
    """Every import in ``package`` (a dotted name under ``root``) of a forbidden module
    or anything below it; files under the dotted ``skip`` prefix are exempt."""
    out = []
    for path in sorted((root / package.replace(".", "/")).rglob("*.py")):
        name = ".".join(path.relative_to(root).with_suffix("").parts)
        if skip and name.startswith(skip):
            continue
        for module in sorted(imports_of(path, root)):
            if any(module == f or module.startswith(f + ".") for f in forbidden):
                out.append(f"{path.relative_to(root)} imports {module}")
    return out


WEB = {"fastapi", "starlette", "api"}
DATABASE = {"sqlalchemy", "alembic", "psycopg"}


def test_the_domain_knows_neither_storage_nor_use_cases_nor_http():
    forbidden = {"dispatch.store", "dispatch.services", *WEB, *DATABASE}
    assert violations(ROOT, "dispatch.domain", forbidden) == []


def test_the_solver_never_touches_the_database_or_the_dispatch_layer():
    assert violations(ROOT, "solver", {"dispatch", *WEB, *DATABASE}) == []


def test_use_cases_know_no_http_and_no_sql():
    assert violations(ROOT, "dispatch", WEB) == []
    assert violations(ROOT, "dispatch.services", DATABASE) == []


def test_only_the_store_speaks_sql():
    assert violations(ROOT, "dispatch", DATABASE, skip="dispatch.store") == []


def test_the_checker_catches_a_planted_breach(tmp_path):
    domain = tmp_path / "dispatch" / "domain"
    services = tmp_path / "dispatch" / "services"
    domain.mkdir(parents=True)
    services.mkdir(parents=True)
    (domain / "model.py").write_text("from ..store.tables import VisitRow\n")
    (domain / "clean.py").write_text("from dispatch.domain.model import Visit\n")
    (services / "booking.py").write_text("import sqlalchemy.orm\nfrom fastapi import Depends\n")

    assert violations(tmp_path, "dispatch.domain", {"dispatch.store"}) == [
        "dispatch/domain/model.py imports dispatch.store.tables",
        "dispatch/domain/model.py imports dispatch.store.tables.VisitRow",
    ]
    assert violations(tmp_path, "dispatch.services", DATABASE) == [
        "dispatch/services/booking.py imports sqlalchemy.orm"
    ]
    assert violations(tmp_path, "dispatch", WEB) == [
        "dispatch/services/booking.py imports fastapi",
        "dispatch/services/booking.py imports fastapi.Depends",
    ]
