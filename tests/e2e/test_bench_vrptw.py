"""`dispatch bench vrptw` as a benchmark user runs it: Solomon files in, a scored table,
a CSV and `.sol` route files out. The optimum of a tiny instance is found here by brute
force, independently of the solver and of its checker, so a gap of zero means something.
"""

import csv
import itertools
import math
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli.main import app

# x, y, demand, ready, due, service; row 0 is the depot. Windows force some order.
TINY = [
    (40, 50, 0, 0, 400, 0),
    (45, 68, 10, 0, 120, 10),
    (52, 75, 10, 30, 200, 10),
    (30, 52, 20, 0, 300, 10),
    (20, 40, 10, 100, 250, 10),
    (60, 40, 30, 0, 200, 10),
    (58, 20, 10, 50, 300, 10),
]
VEHICLES, CAPACITY = 3, 50


def write_instance(path: Path, name: str, rows=TINY, vehicles=VEHICLES) -> Path:
    header = "CUST NO.  XCOORD.   YCOORD.    DEMAND   READY TIME  DUE DATE   SERVICE   TIME"
    lines = [name, "", "VEHICLE", "NUMBER     CAPACITY", f"  {vehicles}  {CAPACITY}", "",
             "CUSTOMER", header, ""]  # fmt: skip
    for i, row in enumerate(rows):
        lines.append(f"{i:5d} " + " ".join(f"{v:8d}" for v in row))
    path.write_text("\r\n".join(lines) + "\r\n")
    return path


def dist(a, b) -> float:
    """DIMACS: Euclidean truncated to one decimal."""
    return math.floor(10 * math.hypot(a[0] - b[0], a[1] - b[1])) / 10


def route_cost(route, rows=TINY) -> float | None:
    """Distance of one route, or None when it breaks a window, the capacity or the
    depot's closing time."""
    t, load, prev, total = 0.0, 0, 0, 0.0
    for c in route:
        leg = dist(rows[prev], rows[c])
        total += leg
        t = max(t + leg, rows[c][3])
        if t > rows[c][4]:
            return None
        t += rows[c][5]
        load += rows[c][2]
        prev = c
    back = dist(rows[prev], rows[0])
    if load > CAPACITY or t + back > rows[0][4]:
        return None
    return total + back


def brute_force_optimum(rows=TINY, vehicles=VEHICLES) -> float:
    customers = range(1, len(rows))
    best_route: dict[frozenset[int], float] = {}
    for size in range(1, len(rows)):
        for subset in itertools.combinations(customers, size):
            costs = [route_cost(p, rows) for p in itertools.permutations(subset)]
            costs = [c for c in costs if c is not None]
            if costs:
                best_route[frozenset(subset)] = min(costs)

    def cover(left: frozenset[int], k: int) -> float:
        if not left:
            return 0.0
        if k == 0:
            return math.inf
        first = min(left)
        best = math.inf
        for subset, cost in best_route.items():
            if first in subset and subset <= left:
                best = min(best, cost + cover(left - subset, k - 1))
        return best

    return cover(frozenset(customers), vehicles)


def read_sol(path: Path) -> tuple[list[list[int]], float]:
    routes, cost = [], math.nan
    for line in path.read_text().splitlines():
        if line.startswith("Route #"):
            routes.append([int(c) for c in line.split(":", 1)[1].split()])
        elif line.startswith("Cost"):
            cost = float(line.split()[1])
    return routes, cost


def test_bench_scores_against_the_best_known_and_writes_checkable_routes(tmp_path):
    optimum = brute_force_optimum()
    inst = write_instance(tmp_path / "TINY1.txt", "TINY1")
    other = write_instance(tmp_path / "TINY2.txt", "TINY2")
    bks = tmp_path / "mine.csv"
    bks.write_text(f"instance,vehicles,distance\nTINY1,{VEHICLES},{optimum:.1f}\n")
    out, sols = tmp_path / "out.csv", tmp_path / "sol"

    args = ["bench", "vrptw", str(inst), str(other), "--time-limit", "1",
            "--bks", str(bks), "--csv", str(out), "--routes", str(sols)]  # fmt: skip
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "mean gap 0.00 % over 1 instances; feasible 2/2" in r.output

    rows = {row["instance"]: row for row in csv.DictReader(out.open())}
    columns = {"instance", "feasible", "vehicles", "distance", "bks_distance", "gap_pct", "seconds"}
    assert columns <= set(rows["TINY1"])
    assert rows["TINY1"]["feasible"] == "True" and rows["TINY1"]["gap_pct"] == "0.00"
    assert float(rows["TINY1"]["distance"]) == pytest.approx(optimum, abs=0.05)
    assert rows["TINY2"]["bks_distance"] == "" and rows["TINY2"]["gap_pct"] == ""

    routes, cost = read_sol(sols / "TINY1.sol")
    assert sorted(c for r in routes for c in r) == list(range(1, len(TINY)))
    assert len(routes) <= VEHICLES
    costs = [route_cost(r) for r in routes]
    assert None not in costs
    assert cost == pytest.approx(sum(costs), abs=0.05)  # type: ignore[arg-type]


def test_the_best_known_csv_next_to_the_instances_is_found_without_a_flag(tmp_path):
    (tmp_path / "solomon").mkdir()
    inst = write_instance(tmp_path / "solomon" / "TINY1.txt", "TINY1")
    (tmp_path / "bks.csv").write_text("instance,vehicles,distance\nTINY1,3,1.0\n")
    r = CliRunner().invoke(app, ["bench", "vrptw", str(inst), "--time-limit", "0.5"])
    assert r.exit_code == 0, r.output
    assert "over 1 instances" in r.output  # a gap was scored against bks.csv


def test_an_instance_with_too_few_vehicles_is_reported_infeasible_not_hidden(tmp_path):
    inst = write_instance(tmp_path / "TIGHT.txt", "TIGHT", vehicles=1)  # windows need two
    assert brute_force_optimum(vehicles=1) == math.inf
    r = CliRunner().invoke(app, ["bench", "vrptw", str(inst), "--time-limit", "0.5"])
    assert r.exit_code == 0, r.output
    assert "feasible 0/1" in r.output


def test_a_file_that_is_not_solomon_gets_a_clear_error(tmp_path):
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\n")
    r = CliRunner().invoke(app, ["bench", "vrptw", str(bad), "--time-limit", "0.5"])
    assert r.exit_code != 0
    assert "not a Solomon-format file" in r.output


def test_repeated_runs_are_each_recorded_and_summarised(tmp_path):
    inst = write_instance(tmp_path / "TINY1.txt", "TINY1")
    bks = tmp_path / "b.csv"
    bks.write_text(f"instance,vehicles,distance\nTINY1,3,{brute_force_optimum():.1f}\n")
    out = tmp_path / "out.csv"
    args = ["bench", "vrptw", str(inst), "--time-limit", "0.5", "--repeat", "2",
            "--bks", str(bks), "--csv", str(out)]  # fmt: skip
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    assert "run 2 of 2" in r.output
    assert "field-dispatch: mean gap over 2 runs 0.00 % (runs: 0.00, 0.00)" in r.output
    assert [row["run"] for row in csv.DictReader(out.open())] == ["1", "2"]


def test_pyvrp_side_by_side_is_scored_by_the_same_checker(tmp_path):
    # PyVRP is a benchmark-only dependency: this runs where `.[bench]` is installed
    pytest.importorskip("pyvrp")
    optimum = brute_force_optimum()
    inst = write_instance(tmp_path / "TINY1.txt", "TINY1")
    bks = tmp_path / "mine.csv"
    bks.write_text(f"instance,vehicles,distance\nTINY1,{VEHICLES},{optimum:.1f}\n")
    out = tmp_path / "out.csv"
    args = ["bench", "vrptw", str(inst), "--time-limit", "0.5", "--bks", str(bks), "--pyvrp",
            "--csv", str(out)]  # fmt: skip
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 0, r.output
    rows = {row["setup"]: row for row in csv.DictReader(out.open())}
    assert rows["pyvrp"]["feasible"] == "True"  # its routes passed our checker
    assert float(rows["pyvrp"]["distance"]) == pytest.approx(optimum, abs=0.05)
    assert "PyVRP 0.00 %" in r.output and "PyVRP at 0 %" in r.output


def test_pyvrp_routes_are_timed_and_judged_like_ours(tmp_path):
    # the conversion alone, no PyVRP needed: a route list in, a checkable solution out
    from benchmarks.pyvrp_side import timed
    from solver.checker import check
    from solver.vrptw.io import read_solomon

    problem = read_solomon(write_instance(tmp_path / "T.txt", "T")).problem()
    good = timed(problem, [[0, 1], [2, 3], [4, 5]])  # clients 1-2, 3-4, 5-6
    assert check(problem, good) == [] and not good.dropped
    legs = [(0, 1), (1, 2), (2, 0), (0, 3), (3, 4), (4, 0), (0, 5), (5, 6), (6, 0)]
    assert good.travel == sum(int(10 * dist(TINY[a], TINY[b]) + 1e-9) for a, b in legs)
    short = timed(problem, [[0, 1]])
    assert {d.visit for d in short.dropped} == {"3", "4", "5", "6"}
    late = timed(problem, [[5, 4, 3, 2, 1, 0]])  # everything on one van, backwards
    assert check(problem, late)  # the checker finds what breaks
