// The intake's later days: when today does not suit the customer (or nobody can come
// today), the free windows on the next working days (GET /api/tickets/{id}/slots), one
// click books one with the body the slot carries (POST /api/tickets/{id}/book: the
// technician-day's version, so a window taken meanwhile is a 409 and the list is
// fetched again). Uses T, $, cell, ticket and booked from console.js.
"use strict";
const Later = {
  days: 5,  // working days after today
  shown: 15,  // rows at most: the earliest windows
  offer(nobodyToday) {  // a new quote: the button again, and the list at once if needed
    $("later").hidden = true;
    $("later-go").hidden = false;
    if (nobodyToday) Later.load();
  },
  close() { $("later").hidden = true; $("later-go").hidden = true; },
  day(iso) {  // "wo 25/11": the slot's own date, whatever the browser's zone
    return new Intl.DateTimeFormat(document.documentElement.lang, { weekday: "short",
      day: "numeric", month: "numeric", timeZone: "UTC" }).format(new Date(`${iso}T12:00:00Z`));
  },
  async load() {
    $("later-go").hidden = true;
    const r = await Session.api(`/api/tickets/${ticket.id}/slots?days=${Later.days}&limit=60`);
    const answer = await r.json();
    if (!r.ok) { $("offers-note").textContent = answer.detail; return; }
    const later = answer.filter((s) => !s.today)
      .sort((a, b) => Date.parse(a.window.start) - Date.parse(b.window.start)).slice(0, Later.shown);
    $("later-title").textContent = later.length ? T.laterTitle : T.noLater;
    $("later").tBodies[0].replaceChildren(...later.map(Later.row));
    $("later").hidden = false;
  },
  row(s) {
    const tr = document.createElement("tr");
    tr.dataset.date = s.date;
    const go = document.createElement("button");
    go.type = "button"; go.textContent = T.book;
    go.addEventListener("click", () => Later.book(s));
    tr.append(cell(Later.day(s.date)), cell(`${hhmm(s.window.start)} – ${hhmm(s.window.end)}`),
      cell(s.technician_name), cell(go));
    return tr;
  },
  async book(s) {
    const r = await Session.api(`/api/tickets/${ticket.id}/book`, Session.json(s.book));
    const answer = await r.json();
    if (r.status === 409) { $("offers-note").textContent = `${T.laterStale} (${answer.detail})`; await Later.load(); return; }
    if (!r.ok) { $("offers-note").textContent = answer.detail; return; }
    const w = (answer.ticket.assignment || {}).window || s.window;
    booked(s.technician_name, `${Later.day(s.date)} ${hhmm(w.start)} – ${hhmm(w.end)}`);
  },
};
$("later-go").addEventListener("click", () => Later.load());
$("later-go").textContent = T.later;
