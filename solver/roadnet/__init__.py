"""Travel times on OpenStreetMap road networks, offline and in-process.

``osm`` reads an extract into a drivable directed graph, ``compiled`` turns it into
arrays cached on disk, ``contract`` collapses degree-2 chains so searches visit only
junctions, ``snap`` maps coordinates onto road edges, and ``network.RoadNetwork``
answers the travel-time protocol. Map data © OpenStreetMap contributors, ODbL 1.0.
"""

from solver.roadnet.network import RoadNetwork, load_network
from solver.roadnet.profile import DEFAULT_PROFILE, SpeedProfile

__all__ = ["DEFAULT_PROFILE", "RoadNetwork", "SpeedProfile", "load_network"]
