"""Street names read from an OpenStreetMap extract for the intake's address search:
one name far apart is several streets, each with its village; search ignores case
and accents and ranks names that start with the question first."""

from __future__ import annotations

from pathlib import Path

import pytest

from solver.roadnet.streets import Street, find_streets, fold, read_streets

PUURS = Path(__file__).resolve().parents[2] / "fixtures" / "osm" / "be_puurs_itinero-openlr.osm.pbf"


def test_a_name_used_in_several_villages_is_several_streets() -> None:
    streets = read_streets(PUURS)
    kapel = [s for s in streets if s.name == "Kapelstraat"]
    assert len(kapel) >= 5 and len({s.place for s in kapel}) >= 4
    assert len({s.label for s in streets}) > 800


def test_search_ignores_case_and_accents_and_ranks_the_start_of_a_name_first() -> None:
    streets = [Street("Grote Markt", "Bornem", 51.1, 4.24),
               Street("Marktplein", "Puurs", 51.07, 4.29),
               Street("Église Straat", "", 51.0, 4.2),
               Street("Oude Vismarkt", "Niel", 51.1, 4.3)]  # fmt: skip
    assert fold("Église") == "eglise"
    assert [s.label for s in find_streets(streets, "MARKT", 10)] == [
        "Marktplein, Puurs", "Grote Markt, Bornem", "Oude Vismarkt, Niel"]
    assert [s.name for s in find_streets(streets, "eglise", 10)] == ["Église Straat"]
    assert find_streets(streets, "markt", 1) == [streets[1]] and find_streets(streets, " ", 5) == []


def test_a_missing_extract_says_where_it_looked() -> None:
    with pytest.raises(FileNotFoundError, match=r"nowhere\.osm\.pbf"):
        read_streets(Path("nowhere.osm.pbf"))
