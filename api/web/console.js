// The helpdesk console's intake: a ticket form, the ranked candidates with what each
// does to other customers, and booking with one click (a 409 when someone else was
// faster refreshes the list). Logging in: api/web/session.js.
"use strict";
const TEXT = {
  nl: {
    loginTitle: "Console aanmelden", user: "Gebruikersnaam", pass: "Wachtwoord", go: "Aanmelden",
    badLogin: "Verkeerde naam of wachtwoord.", logout: "Afmelden", hello: (n, r) => `${n} (${r})`,
    intake: "Nieuwe melding", name: "Klant", phone: "Telefoon", email: "E-mail", locale: "Taal",
    lat: "Breedtegraad", lon: "Lengtegraad", kind: "Soort werk", duration: "Duur (minuten)",
    priority: "Dringendheid", normal: "Normaal", urgent: "Dringend", onSite: "Klant wacht ter plaatse",
    atRisk: "Eigendom onbewaakt in gevaar", quote: "Zoek technieker", offers: "Wie kan komen",
    none: "Vul de melding in: de beste techniekers verschijnen hier.", tech: "Technieker",
    window: "Tijdvak", travel: "Rijtijd", others: "Andere klanten", book: "Boek",
    bookAnyway: "Toch boeken", keeps: "alle beloftes blijven", breaks: (n) => `breekt ${n} belofte(n)`,
    min: (m) => `${Math.round(m)} min`, booked: (n, w) => `Geboekt bij ${n}, ${w}. `,
    track: "Volglink van de klant", stale: "Iemand was sneller; de lijst is ververst.",
    nobody: (r) => `Niemand kan komen: ${r}`,
    board: "De dag", map: "Kaart", mapHint: "Of klik op de kaart.", attention: "Aandacht nodig",
    calm: "Niets dringends.", what: { unassigned: "Niemand toegewezen", dead_message: "Bericht niet afgeleverd",
      stranded: "Begonnen werk, technieker uitgevallen", followup: "Opvolgbelletje" }, updated: (t) => `bijgewerkt ${t}`, outUntil: (t) => `buiten dienst tot ${t}`,
      lunch: { planned: (m) => `middagpauze ${m} min`, on_break: (t) => `pauze sinds ${t}`, taken: () => "pauze genomen" },
    disrupt: "Storing melden", dTech: "Technieker", dKind: "Soort", breakdown: "Pech",
    unavailable: "Niet beschikbaar", dReason: "Reden (de klanten lezen dit)",
    moved: (t, n) => `Bezoek #${t} gaat naar ${n}; de klant hoort de nieuwe naam.`,
    dMinutes: "Hoe lang (minuten)", dGo: "Meld storing", dSaid: (n) => `Gemeld: storing ${n}. De betrokken klanten worden verwittigd.`,
    keys: "Sleep een bezoek naar een andere rij of een ander tijdstip. Met het toetsenbord: Tab naar een bezoek, Enter neemt het op, pijltjes kiezen, Enter zet neer, Escape annuleert.",
    visitLabel: (t, k, a, b, n) => `Bezoek #${t}, ${k}, ${a}–${b}, bij ${n}. Enter of spatie om te verplaatsen.`,
    pickedUp: (t) => `#${t} opgenomen. Omhoog en omlaag: andere technieker; links en rechts: ander tijdstip; Enter: neerzetten; Escape: annuleren.`,
    toRow: (n) => `Naar ${n}: het bezoek komt waar het best past.`,
    toPlace: (n, k, of, a, b) => `${n}, plaats ${k} van ${of}${a ? `, na #${a}` : ""}${b ? `, voor #${b}` : ""}.`,
    stays: "Terug op de eigen plaats.", edge: "Verder kan niet.",
    onlyOwn: "Een ander tijdstip kies je op de eigen rij; hier komt het bezoek waar het best past.",
    cancelled: (t) => `Verplaatsen van #${t} geannuleerd.`,
    movedTo: (t, h) => `Bezoek #${t} komt nu om ${h}; elke belofte blijft.`,
    aTitle: "Vertraagzone", aDraw: "Teken vertraagzone", aView: "Zone = zichtbare kaart",
    aFactor: "Rijtijd maal", aGo: "Meld vertraging", aFirst: "Klik op de kaart: de eerste hoek.",
    aSecond: "Klik de tegenoverliggende hoek.", aBox: "Zone gekozen. Vul factor en reden in.",
    street: "Straat (zoek)", streetNone: "Geen straat met die naam in onze kaart.", streetSet: (l) => `Plaats: ${l}.`,
    later: "Andere dagen", laterTitle: "Vrije tijdvakken op de volgende werkdagen", day: "Dag",
    noLater: "Geen vrije tijdvakken op de volgende werkdagen.", laterStale: "Dat tijdvak is net genomen; de lijst is ververst.",
    aNone: "Teken eerst een zone.", aSaid: (n) => `Gemeld: vertraging ${n}. De klanten in de zone worden verwittigd.`,
  },
  en: {
    loginTitle: "Console log in", user: "Username", pass: "Password", go: "Log in",
    badLogin: "Wrong username or password.", logout: "Log out", hello: (n, r) => `${n} (${r})`,
    intake: "New ticket", name: "Customer", phone: "Phone", email: "E-mail", locale: "Language",
    lat: "Latitude", lon: "Longitude", kind: "Kind of work", duration: "Duration (minutes)",
    priority: "Urgency", normal: "Normal", urgent: "Urgent", onSite: "Customer waits on site",
    atRisk: "Property unattended at risk", quote: "Find a technician", offers: "Who can come",
    none: "Fill in the ticket: the best technicians appear here.", tech: "Technician",
    window: "Window", travel: "Driving", others: "Other customers", book: "Book",
    bookAnyway: "Book anyway", keeps: "every promise kept", breaks: (n) => `breaks ${n} promise(s)`,
    min: (m) => `${Math.round(m)} min`, booked: (n, w) => `Booked with ${n}, ${w}. `,
    track: "Customer's tracking link", stale: "Someone was faster; the list is refreshed.",
    nobody: (r) => `Nobody can come: ${r}`,
    board: "The day", map: "Map", mapHint: "Or click the map.", attention: "Needs attention",
    calm: "Nothing urgent.", what: { unassigned: "Nobody assigned", dead_message: "Message not delivered",
      stranded: "Started work, technician out", followup: "Courtesy call" }, updated: (t) => `updated ${t}`, outUntil: (t) => `out until ${t}`,
      lunch: { planned: (m) => `lunch ${m} min`, on_break: (t) => `on a break since ${t}`, taken: () => "lunch taken" },
    disrupt: "Declare a disruption", dTech: "Technician", dKind: "Kind", breakdown: "Breakdown",
    unavailable: "Unavailable", dReason: "Reason (customers read this)",
    moved: (t, n) => `Visit #${t} moves to ${n}; the customer is told the new name.`,
    dMinutes: "How long (minutes)", dGo: "Declare", dSaid: (n) => `Declared: disruption ${n}. The customers it affects are being told.`,
    keys: "Drag a visit to another row or another time. With the keyboard: Tab to a visit, Enter picks it up, the arrows choose, Enter drops, Escape cancels.",
    visitLabel: (t, k, a, b, n) => `Visit #${t}, ${k}, ${a}–${b}, with ${n}. Enter or Space to move.`,
    pickedUp: (t) => `Picked up #${t}. Up and Down: another technician; Left and Right: another time; Enter: drop; Escape: cancel.`,
    toRow: (n) => `To ${n}: the visit goes where it fits best.`,
    toPlace: (n, k, of, a, b) => `${n}, place ${k} of ${of}${a ? `, after #${a}` : ""}${b ? `, before #${b}` : ""}.`,
    stays: "Back in its own place.", edge: "No further.",
    onlyOwn: "Another time is chosen on the visit's own row; here it goes where it fits best.",
    cancelled: (t) => `Moving #${t} cancelled.`,
    movedTo: (t, h) => `Visit #${t} now comes at ${h}; every promise kept.`,
    aTitle: "Slowdown area", aDraw: "Draw slowdown area", aView: "Area = visible map",
    aFactor: "Driving time times", aGo: "Declare slowdown", aFirst: "Click the map: the first corner.",
    aSecond: "Click the opposite corner.", aBox: "Area chosen. Fill in the factor and the reason.",
    street: "Street (search)", streetNone: "No street by that name on our map.", streetSet: (l) => `Place: ${l}.`,
    later: "Other days", laterTitle: "Free windows on the next working days", day: "Day",
    noLater: "No free windows on the next working days.", laterStale: "That window was just taken; the list is refreshed.",
    aNone: "Draw an area first.", aSaid: (n) => `Declared: slowdown ${n}. The customers in the area are being told.`,
  },
};
const LANG = (navigator.language || "nl").toLowerCase().startsWith("nl") ? "nl" : "en";
const T = TEXT[LANG];
const $ = (id) => document.getElementById(id);
const hhmm = (iso) => iso.slice(11, 16);
let ticket = null;

function cell(...kids) { const td = document.createElement("td"); td.append(...kids); return td; }
function showLogin() { $("desk").hidden = true; $("login").hidden = false; $("username").focus(); }
Session.onLoggedOut = showLogin;

async function start() {
  const me = await (await Session.api("/api/auth/me")).json();
  $("who").textContent = T.hello(me.username, me.role);
  const kinds = await (await Session.api("/api/kinds")).json();
  $("kind").replaceChildren(...kinds.map((k) => new Option(k.label, k.code)));
  $("login").hidden = true; $("desk").hidden = false;
  if (typeof Board !== "undefined") Board.start(me);
}

function body() {
  const out = { customer: { name: $("name").value, locale: $("locale").value },
    location: { lat: Number($("lat").value), lon: Number($("lon").value) },
    kind: $("kind").value, duration_min: Number($("duration").value),
    priority: $("priority").value, customer_on_site: $("on-site").checked, quote: true };
  if ($("phone").value) out.customer.phone = $("phone").value;
  if ($("email").value) out.customer.email = $("email").value;
  if ($("at-risk").checked) out.property_at_risk = true;
  return out;
}

async function quote(ev) {
  ev.preventDefault();
  $("intake-error").textContent = ""; $("booked").textContent = ""; $("offers-note").textContent = "";
  const t0 = performance.now();
  if (typeof Board !== "undefined") Board.hold = true;  // the board redraws after this
  const r = await Session.api("/api/tickets", Session.json(body())).finally(() => {
    if (typeof Board !== "undefined") Board.hold = false;
  });
  const answer = await r.json();
  if (!r.ok) { $("intake-error").textContent = answer.detail; return; }
  ticket = answer;
  show(answer.quote);
  $("offers").dataset.roundTripMs = String(Math.round(performance.now() - t0));
}

async function reload() {
  const r = await Session.api(`/api/tickets/${ticket.id}/candidates?limit=5`);
  if (r.ok) show(await r.json());
}

function row(c, breaking) {
  const tr = document.createElement("tr");
  tr.dataset.technician = String(c.technician_id);
  const broken = c.affected_visits.filter((a) => a.breaks_promise).length;
  const effect = document.createElement("span");
  effect.textContent = broken ? T.breaks(broken) : T.keeps;
  if (broken) effect.className = "breaks";
  const go = document.createElement("button");
  go.type = "button"; go.textContent = breaking ? T.bookAnyway : T.book;
  go.addEventListener("click", () => book(c, breaking));
  tr.append(cell(c.name), cell(`${hhmm(c.window.start)} – ${hhmm(c.window.end)}`),
    cell(T.min(c.travel_min)), cell(effect), cell(go));
  return tr;
}

function show(q) {
  const all = [...q.candidates.map((c) => row(c, false)), ...q.breaking_promises.map((c) => row(c, true))];
  $("candidates").hidden = all.length === 0;
  $("candidates").tBodies[0].replaceChildren(...all);
  if (!all.length) $("offers-note").textContent = T.nobody(q.reason || "");
  if (typeof Later !== "undefined") Later.offer(!all.length);  // nobody today: show them
}

async function book(c, breaking) {
  const r = await Session.api(`/api/tickets/${ticket.id}/book`, Session.json({
    technician_id: c.technician_id, route_version: c.route_version,
    allow_breaking_promises: breaking }));
  const answer = await r.json();
  if (r.status === 409) { $("offers-note").textContent = `${T.stale} (${answer.detail})`; await reload(); return; }
  if (!r.ok) { $("offers-note").textContent = answer.detail; return; }
  const w = (answer.ticket.assignment || {}).window || c.window;
  booked(c.name, `${hhmm(w.start)} – ${hhmm(w.end)}`);
}

function booked(name, when) {  // today's candidate or a later day's slot: the same news
  $("booked").replaceChildren(T.booked(name, when),
    Object.assign(document.createElement("a"), { href: `/track/${ticket.tracking_token}`,
      textContent: T.track, target: "_blank", rel: "noopener" }));
  $("candidates").hidden = true;
  if (typeof Later !== "undefined") Later.close();
}

document.documentElement.lang = LANG;
for (const [id, key] of [["login-title", "loginTitle"], ["username-label", "user"],
  ["password-label", "pass"], ["login-go", "go"], ["logout", "logout"], ["intake-title", "intake"],
  ["quote", "quote"], ["offers-title", "offers"], ["offers-note", "none"]]) $(id).textContent = T[key];
document.querySelectorAll("[data-t]").forEach((e) => { e.textContent = T[e.dataset.t]; });
$("login").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  if (await Session.logIn($("username").value, $("password").value)) await start();
  else $("login-error").textContent = T.badLogin;
});
$("logout").addEventListener("click", () => { Session.clear(); showLogin(); });
$("intake").addEventListener("submit", quote);
if (Session.token()) start().catch(showLogin); else showLogin();
