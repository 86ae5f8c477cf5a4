// The page's words in Dutch and English: one table, read here and by the server's
// <noscript> version of this page (api/track_page.py), so both tell the same story.
let WORDS = null;
const fill = (text, args) => text.replace(/\{(\w+)\}/g, (_, k) => String(args[k] ?? ""));
const token = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop());
const $ = (id) => document.getElementById(id);
function hhmm(iso) { return iso.slice(11, 16); }
let lang = (navigator.language || "nl").slice(0, 2) === "en" ? "en" : "nl";
let arrived = true;  // the first answer: scroll to the messages if the link asked (#messages)
// The customer's channels and opt-outs (no addresses): a button to stop or restart e-mails.
function showPrefs(p) {
  const t = WORDS[lang];
  const has = (p.channels || []).includes("email");
  $("prefs").hidden = !has;
  if (!has) return;
  const off = (p.opted_out || []).includes("email");
  $("prefs-state").textContent = off ? t.mailOff : t.mailOn;
  $("prefs-toggle").textContent = off ? t.mailStart : t.mailStop;
  $("prefs-toggle").dataset.action = off ? "opt-in" : "opt-out";
}
$("prefs-toggle").addEventListener("click", async () => {
  const button = $("prefs-toggle");
  button.disabled = true; $("prefs-error").hidden = true;
  try {
    const resp = await fetch(`/api/track/${encodeURIComponent(token)}/${button.dataset.action}`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ channel: "email" }),
    });
    if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
    showPrefs(await resp.json());
  } catch (e) {
    $("prefs-error").textContent = WORDS[lang].mailFailed; $("prefs-error").hidden = false;
  } finally { button.disabled = false; }
});
// After the visit: the customer says whether it is solved, and scores us (0-10).
const answer = { solved: null, nps: null };
function showConfirm(v) {
  const t = WORDS[lang];
  $("confirm").hidden = v.status !== "completed" && !$("confirm").dataset.done;
  if ($("confirm").hidden || $("confirm").dataset.done) return;
  $("confirm-title").textContent = t.confirmTitle;
  $("solved-yes").textContent = t.yes; $("solved-no").textContent = t.no;
  $("score-label").textContent = t.scoreLabel; $("comment").placeholder = t.comment;
  $("confirm-send").textContent = t.send;
  if (!$("score").children.length) {
    $("score").replaceChildren(...[...Array(11).keys()].map((n) => {
      const b = document.createElement("button");
      b.type = "button"; b.textContent = n; b.setAttribute("aria-pressed", "false");
      b.addEventListener("click", () => {
        answer.nps = n;
        [...$("score").children].forEach((x) => x.setAttribute("aria-pressed", String(x === b)));
      });
      return b;
    }));
  }
}
for (const [id, solved] of [["solved-yes", true], ["solved-no", false]]) {
  $(id).addEventListener("click", () => {
    answer.solved = solved; $("confirm-send").disabled = false;
    $("solved-yes").setAttribute("aria-pressed", String(solved));
    $("solved-no").setAttribute("aria-pressed", String(!solved));
  });
}
$("confirm-send").addEventListener("click", async () => {
  const t = WORDS[lang];
  $("confirm-send").disabled = true;
  try {
    const resp = await fetch(`/api/track/${encodeURIComponent(token)}/confirm`, {
      method: "POST", headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ solved: answer.solved, nps: answer.nps, comment: $("comment").value }),
    });
    if (resp.status === 409) {  // answered before (here or by phone): say so, send nothing
      $("confirm").dataset.done = "1"; $("confirm-form").hidden = true;
      $("confirm-title").textContent = t.already; refresh(); return;
    }
    if (!resp.ok) throw new Error(`HTTP ${resp.status}`);
    $("confirm").dataset.done = "1"; $("confirm-form").hidden = true;
    $("confirm-title").textContent = answer.solved ? t.thanks : t.again;
    refresh();
  } catch (e) {
    $("confirm-note").textContent = t.mailFailed; $("confirm-note").hidden = false;
    $("confirm-send").disabled = false;
  }
});
// After force majeure: the new appointments offered, the first held; the customer picks.
function showOffer(o, note) {
  const t = WORDS[lang];
  const open = o.status === "held";
  $("offer").hidden = false;
  $("offer-title").textContent = open ? t.offerTitle : t.offerDone;
  $("offer-choices").hidden = !open;
  $("offer-note").hidden = !note; $("offer-note").textContent = note || "";
  if (!open) return;
  $("offer-hold").textContent = fill(t.hold, { time: hhmm(o.hold_until) });
  $("offer-date-label").textContent = t.otherDay; $("offer-date-go").textContent = t.find;
  const day = (n) => new Date(Date.now() + n * 864e5).toISOString().slice(0, 10);
  $("offer-date").min = day(1); $("offer-date").max = day(31);
  $("offer-slots").replaceChildren(...o.slots.map((s) => {
    const li = document.createElement("li"), b = document.createElement("button");
    b.type = "button"; b.dataset.slot = s.slot; b.className = s.held ? "held" : "";
    const day = new Date(s.window.start).toLocaleDateString(lang === "en" ? "en-GB" : "nl-BE",
      { weekday: "long", day: "numeric", month: "long" });
    b.textContent = `${day}, ${hhmm(s.window.start)} – ${hhmm(s.window.end)}`;
    if (s.held) { const tag = document.createElement("small"); tag.textContent = t.held; b.append(tag); }
    b.addEventListener("click", () => choose({ slot: s.slot }));
    li.append(b); return li;
  }));
}
async function choose(body) {
  const t = WORDS[lang];
  const buttons = [...$("offer").querySelectorAll("button")];
  buttons.forEach((b) => { b.disabled = true; });
  try {
    const resp = await fetch(`/api/track/${encodeURIComponent(token)}/reschedule`, {
      method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
    });
    const data = await resp.json();
    if (resp.ok) { showOffer(data.offer); refresh(); }
    else if (resp.status === 409 && data.offer) { showOffer(data.offer, t.taken); }
    else { await loadOffer(t.mailFailed); }
  } catch (e) {
    $("offer-note").textContent = t.mailFailed; $("offer-note").hidden = false;
  } finally { buttons.forEach((b) => { b.disabled = false; }); }
}
$("offer-date-go").addEventListener("click", () => {
  if ($("offer-date").value) choose({ date: $("offer-date").value });
});
async function loadOffer(note) {
  const resp = await fetch(`/api/track/${encodeURIComponent(token)}/offer`);
  if (!resp.ok) { $("offer").hidden = true; return; }
  showOffer(await resp.json(), note);
}
// The sentence under the window: the same rules as said() in api/track_page.py.
function said(v, t) {
  const name = v.technician_first_name || t.someone;
  const coming = ["scheduled", "assigned", "en_route"].includes(v.status);
  if (v.situation === "choose") return fill(t.choose, { reason: v.reason || t.problem });
  if (v.situation === "disrupted") return fill(t.disrupted, { name, reason: v.reason || t.problem });
  if (v.situation === "delayed" && coming) {
    return fill(t.delayed, { name, reason: t.reasons[v.reason] || t.delay });
  }
  if (coming && v.technician_first_name) return fill(t.arriving, { name });
  const other = { completed: "done", failed: "notDone", cancelled: "cancelledNow",
                  unassigned: "looking", open: "looking" };
  return other[v.status] ? t[other[v.status]] : "";
}
// The technician, roughly, once this visit is next: a sentence and the server's map.
function showNear(v, t) {
  const near = v.technician_near;
  $("near").hidden = !near; $("near-map").hidden = !near;
  if (!near) return;
  const name = v.technician_first_name || t.someone;
  const km = v.technician_km.toLocaleString(lang === "en" ? "en-GB" : "nl-BE");
  $("near").textContent = fill(t.near, { name, km });
  $("near-map").alt = fill(t.mapAlt, { name });
  $("near-map").src = `/track/${encodeURIComponent(token)}/map.svg?at=${Date.now()}`;
}
// Outside force majeure the customer may move the visit to another day, or cancel it.
function showChange(v, t) {
  const movable = ["scheduled", "assigned", "unassigned", "open"].includes(v.status)
    && v.situation !== "choose";
  $("change").hidden = !movable && $("change-note").hidden;
  $("change-form").hidden = !movable;
  if (!movable) return;
  $("change-title").textContent = t.changeTitle; $("change-date-label").textContent = t.changeDay;
  $("change-go").textContent = t.move; $("cancel-ask").textContent = t.cancel;
  $("cancel-sure").textContent = t.cancelSure;
  const day = (n) => new Date(Date.now() + n * 864e5).toISOString().slice(0, 10);
  $("change-date").min = day(1); $("change-date").max = day(31);
}
function changeNote(text) { $("change-note").textContent = text; $("change-note").hidden = false; }
async function post(path, body) {
  return fetch(`/api/track/${encodeURIComponent(token)}/${path}`, {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  });
}
$("change-go").addEventListener("click", async () => {
  const t = WORDS[lang];
  if (!$("change-date").value) { $("change-date").focus(); return; }
  $("change-go").disabled = true;
  try {
    const resp = await post("change-day", { date: $("change-date").value });
    const data = await resp.json();
    changeNote(resp.ok ? t.moved : data.code === "nothing_free" ? t.noneFree
      : resp.status === 422 ? t.badDate : t.cannot);
    if (resp.ok) refresh();
  } catch (e) { changeNote(t.mailFailed); } finally { $("change-go").disabled = false; }
});
$("cancel-ask").addEventListener("click", () => {  // two steps: a slip of the thumb cancels nothing
  $("cancel-sure").hidden = false; $("cancel-sure").focus();
});
$("cancel-sure").addEventListener("click", async () => {
  const t = WORDS[lang];
  $("cancel-sure").disabled = true;
  try {
    const resp = await post("cancel", { why: "cancelled on the page" });
    changeNote(resp.ok ? t.cancelled : t.cannot);
    $("cancel-sure").hidden = true;
    refresh();
  } catch (e) { changeNote(t.mailFailed); } finally { $("cancel-sure").disabled = false; }
});
async function refresh() {
  $("card").hidden = false;  // without a script the page shows its <noscript> content instead
  try {
    const resp = await fetch(`/api/track/${encodeURIComponent(token)}`);
    if (!resp.ok) {
      const t = WORDS[lang];
      $("title").textContent = t.title._; $("status").hidden = true;
      $("message").textContent = t.unknown; $("when").hidden = true;
      $("messages").hidden = true; return;
    }
    const v = await resp.json();
    lang = v.locale === "en" ? "en" : "nl";
    document.documentElement.lang = lang;
    const t = WORDS[lang];
    $("title").textContent = t.title[v.kind] || t.title._;
    $("status").textContent = t.status[v.status] || v.status;
    $("status").hidden = false;
    if (v.window) {
      $("when").hidden = false;
      $("between-label").textContent = t.between;
      $("window").textContent = `${hhmm(v.window.start)} – ${hhmm(v.window.end)}`;
      $("day").textContent = new Date(v.window.start).toLocaleDateString(lang === "en" ? "en-GB" : "nl-BE",
        { weekday: "long", day: "numeric", month: "long" });
    } else { $("when").hidden = true; }
    $("message").textContent = said(v, t);
    showNear(v, t);
    $("updated").textContent = `${t.updated} ${new Date().toTimeString().slice(0, 5)}`;
    $("footer").textContent = t.footer;
    const told = v.messages || [];
    $("told").hidden = told.length === 0;
    showPrefs(v);
    $("messages").hidden = $("told").hidden && $("prefs").hidden;
    $("told-title").textContent = t.told;
    $("told-list").replaceChildren(...told.map((m) => {
      const li = document.createElement("li");
      const when = document.createElement("time");
      when.dateTime = m.sent_at; when.textContent = hhmm(m.sent_at);
      li.append(when, document.createTextNode(m.subject));
      return li;
    }));
    showConfirm(v);
    showChange(v, t);
    if (arrived && location.hash === "#confirm" && !$("confirm").hidden) $("confirm").scrollIntoView();
    if ($("offer-note").hidden) await loadOffer();  // keep a note shown until the next answer
    if (arrived && location.hash === "#reschedule" && !$("offer").hidden) $("offer").scrollIntoView();
    if (arrived && location.hash === "#messages" && !$("messages").hidden) {
      $("messages").scrollIntoView(); $("prefs-toggle").focus({ preventScroll: true });
    }
    arrived = false;
  } catch (e) { /* offline: keep what is shown, try again later */ }
}
fetch("/assets/track-words.json").then((r) => r.json()).then((words) => {
  WORDS = words;
  refresh();
  setInterval(refresh, 10000);  // a step on the technician's phone shows here within 10 s
});
