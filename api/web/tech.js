// The technician's phone page: today's stops, a navigate button, big status buttons.
// Every tap becomes an event with its own id, queued in the browser (localStorage) and
// sent in order when the network is there: a tunnel or a dead zone loses nothing, and a
// resent event is ignored by the server (the id is the key).
"use strict";
const TEXT = {
  nl: {
    loginTitle: "Aanmelden", user: "Gebruikersnaam", pass: "Wachtwoord", go: "Aanmelden",
    badLogin: "Verkeerde naam of wachtwoord.", logout: "Afmelden", notTech: "Deze login is geen technieker.",
    hello: (n) => `Ritten van ${n}`, none: "Geen bezoeken meer vandaag.",
    waiting: (n) => `${n} melding(en) wachten op netwerk`, sent: "Alles verzonden",
    between: "Tussen", status: { planned: "Gepland", en_route: "Onderweg", arrived: "Ter plaatse",
      started: "Bezig", completed: "Klaar", failed: "Niet gelukt" },
    kind: { cable_stuck: "Laadkabel vastgeklemd", charger_offline: "Laadpaal offline",
      payment_failure: "Betaalterminal stuk", parcel_delivery: "Levering" },
    before: "Vorige keer:", navigate: "Navigeer", onway: "Ik vertrek", arrived: "Aangekomen",
    started: "Begonnen", done: "Klaar", failed: "Niet gelukt", why: "Wat ging er mis?",
    late: "Ik ben later", lateBy: "Hoeveel later?", breakdown: "Pech met de bus",
    repair: "Hoe lang duurt het herstel?", send: "Verstuur", min: (m) => `${m} min`,
    refused: (d) => `Niet aanvaard: ${d}`, more: "Meer",
    lunch: (m, a, b) => `Middagpauze: ${m} min tussen ${a} en ${b}; je klanten kregen tijden die er rekening mee houden.`,
    breakStart: "Start pauze", onBreak: (t) => `Pauze sinds ${t}`, breakEnd: "Terug aan het werk",
    lunchTaken: "Pauze genomen.",
  },
  en: {
    loginTitle: "Log in", user: "Username", pass: "Password", go: "Log in",
    badLogin: "Wrong username or password.", logout: "Log out", notTech: "This login is not a technician's.",
    hello: (n) => `${n}'s stops`, none: "No more visits today.",
    waiting: (n) => `${n} update(s) waiting for the network`, sent: "Everything sent",
    between: "Between", status: { planned: "Planned", en_route: "On the way", arrived: "Arrived",
      started: "In progress", completed: "Done", failed: "Not fixed" },
    kind: { cable_stuck: "Charging cable stuck", charger_offline: "Charge point offline",
      payment_failure: "Payment terminal broken", parcel_delivery: "Delivery" },
    before: "Last time:", navigate: "Navigate", onway: "On my way", arrived: "Arrived",
    started: "Started", done: "Done", failed: "Not fixed", why: "What went wrong?",
    late: "Running late", lateBy: "How much later?", breakdown: "Van broke down",
    repair: "How long will the repair take?", send: "Send", min: (m) => `${m} min`,
    refused: (d) => `Not accepted: ${d}`, more: "More",
    lunch: (m, a, b) => `Lunch: ${m} min between ${a} and ${b}; your customers were given times that allow for it.`,
    breakStart: "Start break", onBreak: (t) => `On a break since ${t}`, breakEnd: "Back to work",
    lunchTaken: "Break taken.",
  },
};
const LANG = (navigator.language || "nl").toLowerCase().startsWith("nl") ? "nl" : "en";
const T = TEXT[LANG];
const $ = (id) => document.getElementById(id);
const QUEUE = "fd-tech-queue";
const NEXT = { planned: "en_route", en_route: "arrived", arrived: "started", started: "completed" };
const LABEL = { en_route: "onway", arrived: "arrived", started: "started", completed: "done" };
let me = null;
let stops = [];
let lunch = null;
let sending = false;

function el(tag, attrs = {}, ...kids) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") e.className = v; else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v);
  }
  for (const k of kids) e.append(k);
  return e;
}
const hhmm = (iso) => new Date(iso).toLocaleTimeString(LANG === "nl" ? "nl-BE" : "en-GB",
  { hour: "2-digit", minute: "2-digit" });

// -- login (api/web/session.js) -----------------------------------------------------
async function login(ev) {
  ev.preventDefault();
  if (!await Session.logIn($("username").value, $("password").value)) {
    $("login-error").textContent = T.badLogin; return;
  }
  await start();
}
const api = (path, options) => Session.api(path, options);
Session.onLoggedOut = () => showLogin();
function showLogin() {
  $("day").hidden = true; $("login").hidden = false; $("username").focus();
}
function logout() {
  Session.clear(); me = null; showLogin();
}

// -- the queue -----------------------------------------------------------------------
const queued = () => JSON.parse(localStorage.getItem(QUEUE) || "[]");
const save = (q) => localStorage.setItem(QUEUE, JSON.stringify(q));
function record(type, ticketId, extra = {}) {
  const id = (crypto.randomUUID && crypto.randomUUID()) || `${Date.now()}-${Math.random()}`;
  const event = { event_id: `tech-${id}`, type, at: new Date().toISOString(), ...extra };
  if (ticketId !== null) event.ticket_id = ticketId;
  save([...queued(), { technician: me.technician_id, event }]);
  render();
  flush();
}
async function flush() {
  if (sending || !me) return;
  sending = true;
  try {
    for (let q = queued(); q.length; q = queued()) {
      const [first] = q;
      let r;
      try {
        r = await api(`/api/technicians/${first.technician}/events`, { method: "POST",
          headers: { "Content-Type": "application/json" }, body: JSON.stringify([first.event]) });
      } catch (e) { break; }  // offline: keep it, try again when the network returns
      if (r.status >= 500 || r.status === 429) break;
      if (!r.ok) {  // refused for good (an impossible step): say so, drop it
        const p = await r.json().catch(() => ({}));
        $("error").textContent = T.refused(p.detail || r.status);
      }
      save(queued().filter((x) => x.event.event_id !== first.event.event_id));
    }
  } finally { sending = false; }
  render();
  if (!queued().length) await load();
}

// -- the day -------------------------------------------------------------------------
async function load() {
  try {
    const r = await api(`/api/technicians/${me.technician_id}/route`);
    if (r.ok) { const day = await r.json(); stops = day.stops; lunch = day.lunch; $("error").textContent = ""; }
  } catch (e) { /* offline: show what we have */ }
  render();
}
function shownStatus(stop) {  // the server's, moved on by what is still queued
  let status = stop.status;
  for (const { event } of queued()) {
    if (event.ticket_id === stop.ticket_id && T.status[event.type]) status = event.type;
  }
  return status;
}
function actions(stop, status) {
  const box = el("div");
  const next = NEXT[status];
  if (next) {
    box.append(el("button", { type: "button", class: next === "completed" ? "big good" : "big",
      "data-event": next, onclick: () => record(next, stop.ticket_id) }, T[LABEL[next]]));
  }
  if (status === "started" || status === "arrived") {
    const why = el("input", { id: `why-${stop.ticket_id}`, maxlength: "500" });
    box.append(el("details", {}, el("summary", {}, T.failed),
      el("label", { for: why.id }, T.why), why,
      el("button", { type: "button", class: "big bad", "data-event": "failed",
        onclick: () => record("failed", stop.ticket_id, { note: why.value || T.failed }) }, T.send)));
  }
  box.append(minutes("late", "lateBy", [10, 20, 30, 60], "delayed", stop, "big warn"));
  box.append(minutes("breakdown", "repair", [30, 60, 120, 240], "breakdown", stop, "big bad"));
  return box;
}
function minutes(title, question, choices, type, stop, cls) {
  const pick = el("select", { id: `${type}-${stop.ticket_id}` },
    ...choices.map((m) => el("option", { value: String(m) }, T.min(m))));
  return el("details", {}, el("summary", {}, T[title]),
    el("label", { for: pick.id }, T[question]), pick,
    el("button", { type: "button", class: cls, "data-event": type,
      onclick: () => record(type, type === "delayed" ? stop.ticket_id : null,
        { delay_min: Number(pick.value), note: T[title] }) }, T.send));
}
// Lunch from the calendar: the ETAs leave room for it; the taps say when it is taken.
function renderLunch(open) {
  const box = $("lunch");
  let status = lunch ? lunch.status : null;
  let since = lunch && lunch.since;
  for (const { event } of queued()) {  // taps not sent yet count already
    if (event.type === "break_start") { status = "on_break"; since = event.at; }
    if (event.type === "break_end") status = "taken";
  }
  box.hidden = !status;
  box.replaceChildren();
  const onSite = open.length && ["arrived", "started"].includes(shownStatus(open[0]));
  const tap = (type, label) => el("button", { type: "button", class: "big", "data-event": type,
    onclick: () => record(type, null) }, label);
  if (status === "planned") {
    if (lunch.window) box.append(el("p", {}, T.lunch(lunch.minutes, hhmm(lunch.window.start), hhmm(lunch.window.end))));
    if (!onSite) box.append(tap("break_start", T.breakStart));
  } else if (status === "on_break") {
    box.append(el("p", {}, T.onBreak(since ? hhmm(since) : "")), tap("break_end", T.breakEnd));
  } else if (status === "taken") {
    box.append(el("p", { class: "muted" }, T.lunchTaken));
  }
}
function render() {
  const q = queued().length;
  $("queue").textContent = q ? T.waiting(q) : T.sent;
  const list = $("stops");
  list.replaceChildren();
  const open = stops.filter((s) => !["completed", "failed"].includes(shownStatus(s)));
  $("empty").hidden = open.length > 0;
  renderLunch(open);
  stops.forEach((stop) => {
    const status = shownStatus(stop);
    const current = open.length && open[0].ticket_id === stop.ticket_id;
    const nav = stop.navigation;
    const card = el("li", { class: `stop${current ? " current" : ""}${open.includes(stop) ? "" : " closed"}`,
      "data-ticket": String(stop.ticket_id) },
      el("div", { class: "window" }, `${hhmm(stop.window.start)} – ${hhmm(stop.window.end)}`),
      el("div", {}, `${T.kind[stop.kind] || stop.kind} · `,
        el("span", { class: "status" }, T.status[status] || status)));
    if (stop.problem) card.append(el("p", { class: "problem" }, `${T.before} ${stop.problem}`));
    if (open.includes(stop)) {
      card.append(el("div", { class: "nav" },
        el("a", { href: nav.geo }, T.navigate), el("a", { href: nav.google_maps, rel: "noopener" }, "Maps"),
        el("a", { href: nav.waze, rel: "noopener" }, "Waze")));
    }
    if (current) card.append(actions(stop, status));
    list.append(card);
  });
}

async function start() {
  const r = await api("/api/auth/me");
  me = await r.json();
  if (me.technician_id === null) { $("login-error").textContent = T.notTech; showLogin(); return; }
  $("login").hidden = true; $("day").hidden = false;
  $("who").textContent = T.hello(me.username);
  await load();
  flush();
}

document.documentElement.lang = LANG;
$("login-title").textContent = T.loginTitle; $("username-label").textContent = T.user;
$("password-label").textContent = T.pass; $("login-go").textContent = T.go;
$("logout").textContent = T.logout; $("empty").textContent = T.none;
$("login").addEventListener("submit", login);
$("logout").addEventListener("click", logout);
window.addEventListener("online", flush);
setInterval(flush, 15000);
setInterval(() => { if (me && !queued().length) load(); }, 60000);
if (Session.token()) start().catch(showLogin); else showLogin();
