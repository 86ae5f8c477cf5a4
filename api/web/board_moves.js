// Moving visits on the board, for dispatchers and admins. With a pointer (mouse, pen or
// a finger on a tablet: pointer events, not HTML5 drag and drop): drop a visit on
// another technician's row, or sideways on its own row at another time. With the
// keyboard: Enter or Space picks the focused visit up, Up and Down choose another
// technician, Left and Right another place in the day, Enter drops it, Escape puts it
// back; each step is said in an aria-live region. Every move posts to
// /api/tickets/{id}/move with the route version the board drew: a stale one is a 409,
// shown, and the board is drawn again. Uses T, $ and hhmm (console.js) and Board.
"use strict";
const Moves = {
  held: null,  // picked up with the keyboard: { ticket, from, row, position }
  dragging: null,  // pressed with a pointer: { ticket, from, x, y, grab }
  busy() { return Boolean(Moves.held || Moves.dragging); },
  say(text) { $("board-live").textContent = text; },
  mark(block, v, t) {  // a visit that may move: focusable, and a button to assistive tech
    block.classList.add("movable");
    block.tabIndex = 0;
    block.setAttribute("role", "button");
    block.setAttribute("aria-label",
      T.visitLabel(v.ticket_id, v.kind, hhmm(v.window.start), hhmm(v.window.end), t.name));
  },
  open(row) { return row.visits.filter((v) => !["completed", "failed"].includes(v.status)); },
  others(row, ticket) { return Moves.open(row).filter((v) => v.ticket_id !== ticket); },
  first(row, ticket) { return Moves.others(row, ticket).filter((v) => v.locked).length; },
  rowOf(technician) { return Board.rows.findIndex((r) => r.technician_id === technician); },
  at(row, ticket, ms) {  // the place among the row's other open visits for a start at ms
    const others = Moves.others(row, ticket);
    const k = others.filter((v) => Date.parse(v.eta) < ms).length;
    return Math.min(Math.max(k, Moves.first(row, ticket)), others.length);
  },
  marker(technician, ms) {  // where the visit would go, drawn on the target row
    document.querySelectorAll(".g-drop").forEach((m) => m.remove());
    document.querySelectorAll(".g-row.target").forEach((r) => r.classList.remove("target"));
    const row = document.querySelector(`.g-row[data-technician='${technician}']`);
    if (!row) return;
    row.classList.add("target");
    if (ms === null) return;
    const drop = document.createElement("div");
    drop.className = "g-drop";
    drop.style.left = `${(100 * (ms - Board.t0)) / (Board.t1 - Board.t0)}%`;
    row.querySelector(".g-track").append(drop);
  },
  clear() { Moves.marker(null, null); },
  slotTime(row, ticket, position) {  // the time the marker shows for a place in the day
    const others = Moves.others(row, ticket);
    if (position < others.length) return Date.parse(others[position].eta);
    const last = others[others.length - 1];
    if (last) return Date.parse(last.eta) + last.duration_min * 60e3;
    return row.shift ? Date.parse(row.shift.start) : Board.t0;
  },
  pick(block) {
    const ticket = Number(block.dataset.ticket);
    const from = Number(block.closest(".g-row").dataset.technician);
    const row = Board.rows[Moves.rowOf(from)];
    const position = Moves.open(row).findIndex((v) => v.ticket_id === ticket);
    Moves.held = { ticket, from, row: Moves.rowOf(from), position, home: position };
    block.classList.add("held");
    Moves.say(T.pickedUp(ticket));
  },
  step(key) {  // Up/Down: another technician; Left/Right: another place on the own row
    const h = Moves.held;
    if (key === "ArrowUp" || key === "ArrowDown") {
      h.row = Math.min(Math.max(h.row + (key === "ArrowUp" ? -1 : 1), 0), Board.rows.length - 1);
      h.position = h.home;
    } else if (Board.rows[h.row].technician_id !== h.from) {
      Moves.say(T.onlyOwn); return;
    } else {
      const row = Board.rows[h.row];
      const next = h.position + (key === "ArrowLeft" ? -1 : 1);
      if (next < Moves.first(row, h.ticket) || next > Moves.others(row, h.ticket).length) {
        Moves.say(T.edge); return;
      }
      h.position = next;
    }
    Moves.describe();
  },
  describe() {
    const h = Moves.held, row = Board.rows[h.row];
    if (row.technician_id !== h.from) {
      Moves.marker(row.technician_id, null);
      Moves.say(T.toRow(row.name)); return;
    }
    Moves.marker(row.technician_id, Moves.slotTime(row, h.ticket, h.position));
    const others = Moves.others(row, h.ticket);
    Moves.say(h.position === h.home ? T.stays : T.toPlace(row.name, h.position + 1,
      others.length + 1, others[h.position - 1]?.ticket_id, others[h.position]?.ticket_id));
  },
  async drop() {
    const h = Moves.held;
    Moves.held = null; Moves.clear();
    const row = Board.rows[h.row];
    if (row.technician_id !== h.from) await Moves.post(h.ticket, row, undefined, true);
    else if (h.position !== h.home) await Moves.post(h.ticket, row, h.position, true);
    else { Moves.say(T.cancelled(h.ticket)); Moves.focus(h.ticket); }
  },
  cancel() {
    const h = Moves.held;
    Moves.held = null; Moves.clear();
    Moves.say(T.cancelled(h.ticket));
    Moves.focus(h.ticket);
  },
  focus(ticket) {
    const block = document.querySelector(`.g-visit[data-ticket='${ticket}']`);
    if (block) { block.classList.remove("held"); block.focus(); }
  },
  async post(ticket, to, position, byKeys) {  // position: another place on the own row
    const body = { technician_id: to.technician_id, route_version: to.route_version };
    if (position !== undefined) body.position = position;
    const r = await Session.api(`/api/tickets/${ticket}/move`, Session.json(body));
    const answer = await r.json();
    await Board.load(false);
    let said = answer.detail;
    if (r.ok && position === undefined) said = T.moved(ticket, to.name);
    else if (r.ok) {
      const v = Moves.open(Board.rows[Moves.rowOf(to.technician_id)] || { visits: [] })
        .find((x) => x.ticket_id === ticket);
      said = T.movedTo(ticket, v ? hhmm(v.eta) : "");
    }
    $("board-note").className = r.ok ? "ok" : "error";
    $("board-note").textContent = said;
    Moves.say(said);
    if (byKeys) Moves.focus(ticket);
  },
};
$("board").addEventListener("keydown", (e) => {
  const block = e.target.closest(".g-visit.movable");
  if (!block) return;
  const held = Moves.held;
  if (!held && (e.key === "Enter" || e.key === " ")) Moves.pick(block);
  else if (held && e.key.startsWith("Arrow")) Moves.step(e.key);
  else if (held && e.key === "Enter") Moves.drop();
  else if (held && e.key === "Escape") Moves.cancel();
  else return;
  e.preventDefault();
});
$("board").addEventListener("focusout", (e) => {  // focus left the held visit: put it back
  if (Moves.held && !e.currentTarget.contains(e.relatedTarget)) Moves.cancel();
});
$("board").addEventListener("pointerdown", (e) => {
  const block = e.target.closest(".g-visit.movable");
  if (!block || Moves.held) return;
  e.preventDefault();
  const box = block.getBoundingClientRect();
  Moves.dragging = { ticket: Number(block.dataset.ticket), x: e.clientX, y: e.clientY,
    from: Number(block.closest(".g-row").dataset.technician), grab: e.clientX - box.left };
});
function dropAt(e) {  // the row under the pointer, and for the own row the time there
  const d = Moves.dragging;
  const el = document.elementFromPoint(e.clientX, e.clientY)?.closest(".g-row");
  const row = el && Board.rows.find((r) => String(r.technician_id) === el.dataset.technician);
  if (!row) return null;
  if (row.technician_id !== d.from) return { row, position: undefined, ms: null };
  if (Math.abs(e.clientX - d.x) < 6) return null;  // a click, not a drag
  const track = el.querySelector(".g-track").getBoundingClientRect();
  const ms = Board.t0 + ((e.clientX - d.grab - track.left) / track.width) * (Board.t1 - Board.t0);
  return { row, position: Moves.at(row, d.ticket, ms), ms };
}
document.addEventListener("pointermove", (e) => {
  if (!Moves.dragging) return;
  const at = dropAt(e);
  if (at) Moves.marker(at.row.technician_id, at.ms); else Moves.clear();
});
document.addEventListener("pointerup", (e) => {
  const d = Moves.dragging;
  if (!d) return;
  const at = dropAt(e);
  Moves.dragging = null; Moves.clear();
  if (!at) return;
  const row = Board.rows[Moves.rowOf(d.from)];
  const home = Moves.open(row).findIndex((v) => v.ticket_id === d.ticket);
  if (at.position === undefined || at.position !== home) Moves.post(d.ticket, at.row, at.position, false);
});
