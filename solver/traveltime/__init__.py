"""Travel-time providers behind one small protocol (see :mod:`.protocol`)."""

from solver.traveltime.haversine import Haversine
from solver.traveltime.protocol import OutsideServiceArea, TravelTimes

__all__ = ["Haversine", "OutsideServiceArea", "TravelTimes"]
