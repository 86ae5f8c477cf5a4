// The console's map: the region's roads from our own network (GET /api/map/roads, no
// tile server, so it works offline), technicians where they last were (red when taken
// out), their open visits in route order (red when slipping, green once started), and
// slowdown areas. Leaflet 1.9.4 is vendored under /assets/vendor (BSD-2-Clause).
// Canvas rendering keeps 200 technicians and 2,000 visits quick; each draw's time is
// kept in data-draw-ms for the benchmark.
"use strict";
const RoadMap = {
  map: null,
  layer: null,
  async start(me) {
    RoadMap.map = L.map("map", { preferCanvas: true, zoomSnap: 0.25 });
    const roads = await (await Session.api("/api/map/roads")).json();
    const lines = L.geoJSON(roads, { style: { color: "#9ca3af", weight: 1 }, interactive: false });
    lines.addTo(RoadMap.map);
    RoadMap.map.attributionControl.addAttribution(roads.attribution);
    if (lines.getBounds().isValid()) RoadMap.map.fitBounds(lines.getBounds());
    else RoadMap.map.setView([51.07, 4.29], 12);
    RoadMap.layer = L.layerGroup().addTo(RoadMap.map);
    RoadMap.map.on("click", (e) => {  // the intake's place, picked on the map
      if (typeof Areas !== "undefined" && Areas.click(e.latlng)) return;  // drawing an area
      RoadMap.place(e.latlng);
    });
    RoadMap.areas = ["dispatcher", "admin"].includes(me.role);
    if (RoadMap.areas && typeof Areas !== "undefined") Areas.start();
  },
  place(latlng, centre = false) {  // the intake's place: its fields and a pin on the map
    $("lat").value = latlng.lat.toFixed(5); $("lon").value = latlng.lng.toFixed(5);
    if (!RoadMap.map) return;
    if (RoadMap.pin) RoadMap.map.removeLayer(RoadMap.pin);
    RoadMap.pin = L.circleMarker(latlng, { radius: 9, color: "#b45309", weight: 3 }).addTo(RoadMap.map);
    if (centre) RoadMap.map.panTo(latlng);
  },
  async draw(day) {
    if (!RoadMap.map) return;
    const t0 = performance.now();
    const group = L.layerGroup();
    for (const t of day.technicians) {
      const open = t.visits.filter((v) => !["completed", "failed"].includes(v.status));
      if (t.position && open.length) {
        group.addLayer(L.polyline([[t.position.lat, t.position.lon], ...open.map((v) => [v.lat, v.lon])],
          { color: "#60a5fa", weight: 2, opacity: 0.7, interactive: false }));
      }
      for (const v of open) {
        group.addLayer(L.circleMarker([v.lat, v.lon], { radius: 5, weight: 1, color: "#111",
          fillColor: v.late ? "#b91c1c" : v.locked ? "#15803d" : "#1d4ed8", fillOpacity: 0.9 })
          .bindTooltip(`#${v.ticket_id} ${hhmm(v.window.start)}–${hhmm(v.window.end)} · ${t.name}`));
      }
      if (t.position) {
        group.addLayer(L.circleMarker([t.position.lat, t.position.lon], { radius: 8, weight: 2,
          color: "#fff", fillColor: t.out_until ? "#b91c1c" : "#1e3a8a", fillOpacity: 1 })
          .bindTooltip(t.out_until ? `${t.name} · ${T.outUntil(hhmm(t.out_until))}` : t.name));
      }
    }
    if (RoadMap.areas) {
      const r = await Session.api("/api/disruptions?active=true");
      const areas = (r.ok ? await r.json() : []).filter((d) => d.area);
      $("map").dataset.areas = String(areas.length);
      for (const d of areas) {
        group.addLayer(L.polygon(d.area, { color: "#b45309", weight: 2, fillOpacity: 0.15 })
          .bindTooltip(d.reason));
      }
    }
    RoadMap.map.removeLayer(RoadMap.layer);
    RoadMap.layer = group.addTo(RoadMap.map);
    $("map").dataset.drawMs = String(Math.round(performance.now() - t0));
    $("map").dataset.markers = String(group.getLayers().length);
  },
};
