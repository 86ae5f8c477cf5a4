// The console's board: a Gantt of the day, one row per technician (visits with their
// windows, the drive into each, the now-line, slips in red, started work in green).
// Dispatchers also declare a breakdown or an absence, and move visits (board_moves.js).
// Uses T, $ and hhmm from console.js; redraws when the server's live stream says the
// day moved (api/live_stream.py).
"use strict";
const Board = {
  rows: [],
  async start(me) {
    $("board-title").textContent = T.board;
    $("disrupt-title").textContent = T.disrupt; $("d-go").textContent = T.dGo;
    Board.canMove = ["dispatcher", "admin"].includes(me.role);
    $("disrupt").hidden = !Board.canMove;
    $("board-keys").hidden = !Board.canMove; $("board-keys").textContent = T.keys;
    $("map-title").textContent = T.map;
    if (typeof RoadMap !== "undefined") await RoadMap.start(me).catch(() => {});
    await Board.load();
    Board.listen();
    setInterval(() => Board.load(), 60000);  // in case the stream is cut off unnoticed
  },
  async listen() {  // server-sent events, read with fetch: EventSource cannot log in
    for (;;) {
      try {
        const r = await fetch("/api/stream", { headers: { Authorization: `Bearer ${Session.token()}` } });
        if (r.status === 401 && !(await Session.refresh())) { Session.onLoggedOut(); return; }
        if (r.ok) {
          const reader = r.body.getReader();
          const text = new TextDecoder();
          let buffer = "";
          for (;;) {
            const { value, done } = await reader.read();
            if (done) break;
            buffer += text.decode(value, { stream: true });
            for (let i = buffer.indexOf("\n\n"); i >= 0; i = buffer.indexOf("\n\n")) {
              if (buffer.slice(0, i).includes("event: change")) Board.soon();
              buffer = buffer.slice(i + 2);
            }
          }
        }
      } catch (e) { /* the network blinked */ }
      await new Promise((ok) => setTimeout(ok, 3000));
    }
  },
  soon() {  // a burst of changes draws once, and never while an agent waits for a quote
    if (Board.pending) return;
    Board.pending = setTimeout(() => {
      Board.pending = null;
      if (Board.hold || Moves.busy() || document.hidden) Board.soon(); else Board.load();
    }, 300);
  },
  async load(note = true) {
    if (Moves.busy()) { Board.soon(); return; }  // never under a visit being moved
    const r = await Session.api("/api/board");
    if (!r.ok) return;
    const day = await r.json();
    Board.rows = day.technicians;
    Board.draw(day);
    if (typeof RoadMap !== "undefined") await RoadMap.draw(day);
    const pick = $("d-tech");
    if (!pick.options.length) {
      pick.replaceChildren(...day.technicians.map((t) => new Option(t.name, t.technician_id)));
    }
    if (note) { $("board-note").className = "muted"; $("board-note").textContent = T.updated(hhmm(day.now)); }
    await Board.attention();
  },
  async attention() {  // what a person must act on, refreshed with the board
    $("attention-title").textContent = T.attention;
    const r = await Session.api("/api/attention");
    if (!r.ok) return;
    const items = (await r.json()).items;
    $("attention").replaceChildren(...(items.length ? items : [null]).map((i) => {
      const li = document.createElement("li");
      li.textContent = i ? `${T.what[i.what] || i.what}${i.ticket_id ? ` #${i.ticket_id}` : ""}: ${i.detail}`
        : T.calm;
      if (i) li.dataset.what = i.what;
      return li;
    }));
  },
  span(day) {  // from the earliest shift start to the latest end, at least now ± 1 h
    const times = [Date.parse(day.now) - 3600e3, Date.parse(day.now) + 3600e3];
    for (const t of day.technicians) {
      if (t.shift) times.push(Date.parse(t.shift.start), Date.parse(t.shift.end));
      for (const v of t.visits) times.push(Date.parse(v.window.start), Date.parse(v.eta) + v.duration_min * 60e3);
    }
    return [Math.min(...times), Math.max(...times)];
  },
  draw(day) {
    const [t0, t1] = Board.span(day);
    Board.t0 = t0; Board.t1 = t1;  // for a drop's time (board_moves.js)
    const pct = (ms) => `${(100 * (ms - t0)) / (t1 - t0)}%`;
    const width = (ms) => `${(100 * ms) / (t1 - t0)}%`;
    const box = (cls, left, w, text = "") => {
      const d = document.createElement("div");
      d.className = cls; d.style.left = pct(left); d.style.width = width(Math.max(w, 60e3));
      d.textContent = text; return d;
    };
    const hours = document.createElement("div");
    hours.className = "g-hours";
    const hours_ = (t1 - t0) / 3600e3;
    const step = (hours_ > 16 ? 3 : hours_ > 8 ? 2 : 1) * 3600e3;  // labels that fit
    for (let h = Math.ceil(t0 / step) * step; h < t1; h += step) {
      const s = document.createElement("span");
      s.style.left = pct(h); s.textContent = hhmm(new Date(h + Board.offset(day)).toISOString());
      hours.append(s);
    }
    const rows = day.technicians.map((t) => {
      const row = document.createElement("div");
      row.className = "g-row"; row.dataset.technician = String(t.technician_id);
      const label = document.createElement("div");
      label.className = "g-label"; label.textContent = t.name;
      if (t.out_until) {
        const out = document.createElement("span");
        out.className = "out"; out.textContent = T.outUntil(hhmm(t.out_until)); label.append(out);
      }
      const track = document.createElement("div");
      track.className = "g-track";
      if (t.lunch) {  // the window it may be taken in; the ETAs already leave room for it
        const l = t.lunch;
        const said = T.lunch[l.status](l.status === "on_break" ? hhmm(l.since) : l.minutes);
        const note = document.createElement("span");
        note.className = `lunch ${l.status}`; note.textContent = said; label.append(note);
        if (l.window && l.status === "planned") {
          const ls = Date.parse(l.window.start);
          const band = box("g-lunch", ls, Date.parse(l.window.end) - ls);
          band.title = said; track.append(band);
        }
      }
      for (const v of t.visits) {
        const ws = Date.parse(v.window.start), eta = Date.parse(v.eta);
        track.append(box("g-window", ws, Date.parse(v.window.end) - ws));
        if (v.leg_min) track.append(box("g-leg", eta - v.leg_min * 60e3, v.leg_min * 60e3));
        const open = !["completed", "failed"].includes(v.status);
        const cls = !open ? "closed" : v.late ? "late" : v.locked ? "locked" : "";
        const block = box(`g-visit ${cls}`, eta, v.duration_min * 60e3, `#${v.ticket_id}`);
        block.dataset.ticket = String(v.ticket_id);
        if (open && !v.locked && Board.canMove) Moves.mark(block, v, t);  // started work stays
        block.title = `#${v.ticket_id} ${v.kind} ${hhmm(v.window.start)}–${hhmm(v.window.end)} (${v.status})`;
        track.append(block);
      }
      const now = document.createElement("div");
      now.className = "g-now"; now.style.left = pct(Date.parse(day.now));
      track.append(now);
      row.append(label, track);
      return row;
    });
    const focused = $("board").contains(document.activeElement) && document.activeElement.dataset.ticket;
    $("board").replaceChildren(hours, ...rows);
    if (focused) $("board").querySelector(`.g-visit[data-ticket='${focused}']`)?.focus();  // keep the place
    $("board").dataset.drawn = String(Number($("board").dataset.drawn || 0) + 1);
  },
  offset(day) {  // the service's zone offset, so the hour labels read in local time
    const m = day.now.match(/([+-])(\d\d):(\d\d)$/);
    return m ? (m[1] === "-" ? -1 : 1) * (Number(m[2]) * 3600e3 + Number(m[3]) * 60e3) : 0;
  },
  async declare(ev) {
    ev.preventDefault();
    const r = await Session.api("/api/disruptions", Session.json({
      kind: $("d-kind").value, technician_id: Number($("d-tech").value),
      reason: $("d-reason").value, repair_min: Number($("d-minutes").value) }));
    const answer = await r.json();
    $("d-said").className = r.ok ? "ok" : "error";
    $("d-said").textContent = r.ok ? T.dSaid(answer.id) : answer.detail;
    setTimeout(() => Board.load(), 1500);  // the moves happen just after the answer
  },
};
$("disrupt").addEventListener("submit", Board.declare);
