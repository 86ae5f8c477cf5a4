"""Scenario files (issue 18, acceptance 2): every shipped one loads, and a broken one is
refused with a message naming the file, the field and what is wrong."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.scenario import ScenarioError, load

SHIPPED = sorted((Path(__file__).resolve().parents[2] / "fixtures" / "scenarios").glob("*.yaml"))


def test_the_shipped_scenarios_load() -> None:
    names = {load(p).name for p in SHIPPED}
    assert names == {"calm day", "breakdown day", "snow morning", "peak day", "bad day",
                     "Liechtenstein day", "calm day with lunch"}  # fmt: skip


@pytest.mark.parametrize(("text", "field", "what"), [
    ("name: x\nfleet: {technicians: 0}\n", "fleet.technicians", "greater than or equal to 1"),
    ("name: x\nfleet: {colour: red}\n", "fleet.colour", "Extra inputs are not permitted"),
    ("name: x\ndisruptions:\n  - {at: '10:00', kind: breakdown}\n", "disruptions.0",
     "needs the technician"),
    ("name: x\ndisruptions:\n  - {at: '25:00', kind: sick, technician: 1}\n",
     "disruptions.0.at", "time"),
    ("name: x\ndemand: {kinds: {cable_stuck: 0.5}}\n", "demand", "add up to 0.5, not 1"),
    ("name: x\ndemand: {kinds: {plumbing: 1.0}}\n", "demand", "unknown kind(s) ['plumbing']"),
    ("name: x\nfleet: {technicians: 2}\ndisruptions:\n  - {at: '10:00', kind: sick, "
     "technician: 5}\n", "(top level)", "the fleet has 2 technicians"),
    ("fleet: {technicians: 2}\n", "name", "Field required"),
    ("name: x\nregion: mars\n", "region", "'puurs' or 'liechtenstein'"),
    ("name: x\nfleet: {lunch: {earliest: '12:00', latest: '12:20'}}\n", "fleet.lunch",
     "a 30-minute lunch does not fit between 12:00 and 12:20"),
    ("name: x\nfleet: {shift_start: '13:00', lunch: {}}\n", "fleet",
     "lunch must lie inside the shift"),
])  # fmt: skip
def test_a_broken_scenario_names_the_file_the_field_and_the_problem(
        tmp_path: Path, text: str, field: str, what: str) -> None:  # fmt: skip
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as refused:
        load(path)
    said = str(refused.value)
    assert said.startswith(f"{path}: ")
    assert any(line.strip().startswith(f"{field}:") and what in line
               for line in said.splitlines()), said  # fmt: skip


def test_not_yaml_or_not_a_mapping_or_missing_is_said_plainly(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: [unclosed\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"bad\.yaml: not valid YAML"):
        load(bad)
    bad.write_text("- a list\n", encoding="utf-8")
    with pytest.raises(ScenarioError, match="expected a mapping of fields, got list"):
        load(bad)
    with pytest.raises(ScenarioError, match=r"missing\.yaml: cannot read it"):
        load(tmp_path / "missing.yaml")
