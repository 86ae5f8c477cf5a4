// The intake's address search: the street the customer names, typed, becomes the
// ticket's place (GET /api/map/streets: the streets of our own map extracts, each with
// a point on it and the nearest village, to tell two Kapelstraats apart). Picking one
// fills latitude and longitude and pins it on the map; a click on the map still gives
// the exact spot (house numbers are not in the extracts). Uses T and $ (console.js)
// and RoadMap.
"use strict";
const Address = {
  timer: null,
  asked: 0,  // the latest question: an older answer arriving late is dropped
  soon() {
    clearTimeout(Address.timer);
    Address.timer = setTimeout(Address.find, 200);  // one question per pause in typing
  },
  async find() {
    const q = $("street").value.trim();
    const n = ++Address.asked;
    if (q.length < 2) { $("street-found").replaceChildren(); $("street-said").textContent = ""; return; }
    const r = await Session.api(`/api/map/streets?q=${encodeURIComponent(q)}&limit=6`);
    if (n !== Address.asked || !r.ok) return;
    const found = await r.json();
    $("street-said").textContent = found.length ? "" : T.streetNone;
    $("street-found").replaceChildren(...found.map((s) => {
      const li = document.createElement("li");
      const go = document.createElement("button");
      go.type = "button"; go.textContent = s.label;
      go.addEventListener("click", () => Address.pick(s));
      li.append(go);
      return li;
    }));
  },
  pick(s) {
    Address.asked++;
    $("street").value = s.label;
    $("street-found").replaceChildren();
    $("street-said").textContent = T.streetSet(s.label);
    if (typeof RoadMap !== "undefined" && RoadMap.map) RoadMap.place(L.latLng(s.lat, s.lon), true);
    else { $("lat").value = s.lat.toFixed(5); $("lon").value = s.lon.toFixed(5); }
  },
};
$("street").addEventListener("input", Address.soon);
$("street").addEventListener("keydown", (e) => {  // Enter takes the first street found
  if (e.key !== "Enter") return;
  e.preventDefault();
  $("street-found").querySelector("button")?.click();
});
