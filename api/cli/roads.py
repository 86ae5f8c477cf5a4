"""``dispatch roads``: inspect an OpenStreetMap extract and time travel matrices."""

from __future__ import annotations

import json
from pathlib import Path

import typer

roads_app = typer.Typer(help="Road networks from OpenStreetMap extracts (ODbL).")


@roads_app.command("info")
def info_cmd(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help=".osm.pbf or .osm"),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Node and edge counts, tagged-speed share, bounding box, dropped components."""
    from benchmarks.roads import info

    data = info(file)
    if as_json:
        typer.echo(json.dumps(data))
        return
    typer.echo(f"{file.name}  (© OpenStreetMap contributors, ODbL)")
    typer.echo(
        f"  nodes {data['nodes']:,.0f}   edges {data['edges']:,.0f}   "
        f"junctions {data['junctions']:,.0f}"
    )
    typer.echo(f"  edges with a tagged speed: {data['tagged_speed_share']:.1%}")
    typer.echo(
        f"  bounding box: {data['min_lat']:.4f},{data['min_lon']:.4f} - "
        f"{data['max_lat']:.4f},{data['max_lon']:.4f} (lat,lon)"
    )
    typer.echo(
        f"  kept the largest of {data['components']:.0f} strongly connected components; "
        f"dropped {data['dropped_nodes']:,.0f} nodes and {data['dropped_edges']:,.0f} edges"
    )
    typer.echo(
        f"  ways read {data['ways']:,.0f}, references to nodes missing from the "
        f"extract {data['missing_node_refs']:,.0f}"
    )


@roads_app.command("matrix")
def matrix_cmd(
    file: Path = typer.Argument(..., exists=True, dir_okay=False),
    points: int = typer.Option(1000, min=2, help="N for an N x N matrix"),
    seed: int = typer.Option(1),
    repeat: int = typer.Option(3, min=1),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """Time an N x N matrix of random snapped points (cold caches each repeat)."""
    from benchmarks.roads import matrix_benchmark

    data = matrix_benchmark(file, points, seed, repeat)
    typer.echo(json.dumps(data) if as_json else json.dumps(data, indent=2))
