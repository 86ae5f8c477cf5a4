// Drawing a slowdown area (snow, ice, a closed bridge) on the console's map, for
// dispatchers: "draw slowdown area", then two clicks on the map are opposite corners of
// a box; or the visible map is the box, for someone who pans and zooms the map with the
// keyboard. With a factor and the reason customers read, it is declared through
// POST /api/disruptions as a slowdown (its consequences follow on the server), and the
// map draws it with the other active areas. Uses T and $ (console.js), RoadMap, Board.
"use strict";
const Areas = {
  drawing: false,
  corner: null,  // the first click, while the second is awaited
  box: null,  // the area chosen: Leaflet LatLngBounds
  shape: null,  // its outline on the map until it is declared
  start() {
    $("area").hidden = false;
    for (const [id, key] of [["a-title", "aTitle"], ["a-draw", "aDraw"], ["a-view", "aView"],
      ["a-go", "aGo"]]) $(id).textContent = T[key];
  },
  say(text) { $("a-hint").textContent = text; },
  begin() {
    Areas.drawing = true; Areas.corner = null; Areas.choose(null);
    $("map").classList.add("drawing");
    Areas.say(T.aFirst);
  },
  click(latlng) {  // a click on the map while drawing: a corner, not the intake's place
    if (!Areas.drawing) return false;
    if (!Areas.corner) {
      Areas.corner = latlng;
      Areas.choose(L.latLngBounds(latlng, latlng));
      Areas.say(T.aSecond);
    } else {
      Areas.drawing = false;
      $("map").classList.remove("drawing");
      Areas.choose(L.latLngBounds(Areas.corner, latlng));
      Areas.say(T.aBox);
      $("a-factor").focus();
    }
    return true;
  },
  choose(bounds) {
    if (Areas.shape) RoadMap.map.removeLayer(Areas.shape);
    Areas.box = bounds; Areas.shape = null;
    if (bounds) {
      Areas.shape = L.rectangle(bounds, { color: "#b45309", weight: 2, dashArray: "6 4",
        fillOpacity: 0.1, interactive: false }).addTo(RoadMap.map);
    }
  },
  async declare(ev) {
    ev.preventDefault();
    const b = Areas.box;
    if (!b || b.getNorth() <= b.getSouth() || b.getEast() <= b.getWest()) {
      $("a-said").className = "error"; $("a-said").textContent = T.aNone; return;
    }
    const r = await Session.api("/api/disruptions", Session.json({
      kind: "slowdown", reason: $("a-reason").value, factor: Number($("a-factor").value),
      repair_min: Number($("a-minutes").value),
      box: { south: b.getSouth(), west: b.getWest(), north: b.getNorth(), east: b.getEast() } }));
    const answer = await r.json();
    $("a-said").className = r.ok ? "ok" : "error";
    $("a-said").textContent = r.ok ? T.aSaid(answer.id) : answer.detail;
    if (!r.ok) return;
    Areas.choose(null); Areas.say("");
    await Board.load(false);  // the map draws the active areas, this one with them
  },
};
$("a-draw").addEventListener("click", Areas.begin);
$("a-view").addEventListener("click", () => {
  Areas.drawing = false; $("map").classList.remove("drawing");
  Areas.choose(RoadMap.map.getBounds()); Areas.say(T.aBox);
});
$("area").addEventListener("submit", Areas.declare);
