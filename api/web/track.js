const TEXT = {
  nl: {
    title: { cable_stuck: "Laadkabel vrijmaken", charger_offline: "Laadpaal herstellen",
             payment_failure: "Betaalterminal herstellen", parcel_delivery: "Levering",
             _: "Uw afspraak" },
    status: { scheduled: "Ingepland", en_route: "Onderweg", arrived: "Ter plaatse",
              started: "Bezig", completed: "Afgerond", failed: "Niet gelukt", open: "Ontvangen",
              assigned: "Ingepland", unassigned: "We zoeken een technieker",
              done: "Afgesloten", cancelled: "Geannuleerd" },
    between: "Verwacht tussen", updated: "Bijgewerkt om", unknown: "Deze link is niet (meer) geldig.",
    arriving: (n) => `${n} komt langs binnen dit tijdvak.`, footer: "Deze pagina ververst vanzelf.",
    disrupted: (n, r) => `${n || "Uw technieker"} is opgehouden: ${r || "een onverwacht probleem"}. We passen uw afspraak aan en laten het u meteen weten.`,
    choose: (r) => `Uw afspraak kan niet doorgaan zoals gepland: ${r || "een onverwacht probleem"}. Kies hieronder een nieuw moment.`,
    delayed: (n, r) => `${n || "Uw technieker"} komt later dan eerst gezegd: ${({ traffic: "er is veel verkeer",
      previous_job_longer: "het vorige bezoek duurt langer", urgent_case: "er kwam een dringend geval tussen",
      weather: "het weer", breakdown: "pech onderweg" })[r] || "een onverwachte vertraging"}. Het nieuwe tijdvak staat hierboven.`,
    told: "Wat we u lieten weten",
    done: "Het bezoek is afgerond. Bedankt!", notDone: "Het is niet gelukt. We nemen contact met u op.",
    mailOn: "We houden u per e-mail op de hoogte.", mailOff: "U krijgt geen e-mails meer van ons.",
    mailStop: "Geen e-mails meer", mailStart: "E-mails weer aanzetten",
    mailFailed: "Dat is niet gelukt. Probeer het straks opnieuw.",
    confirmTitle: "Is alles opgelost zoals u wilde?", yes: "Ja, opgelost", no: "Nee, nog niet",
    scoreLabel: "Hoe waarschijnlijk is het dat u ons aanbeveelt? (0 = helemaal niet, 10 = zeker)",
    comment: "Wilt u nog iets kwijt? (niet verplicht)", send: "Verstuur",
    thanks: "Bedankt! Uw zaak is afgesloten.", already: "We hadden uw antwoord al. Bedankt!", again: "Bedankt. We plannen een nieuw bezoek en laten u weten wanneer.",
    offerTitle: "Kies uw nieuwe afspraak", offerDone: "Uw nieuwe afspraak staat vast.",
    hold: (hh) => `De eerste houden we voor u vast tot ${hh}. Kiest u niets, dan bevestigen we die.`,
    held: "voor u vastgehouden", otherDay: "Of een andere dag:", find: "Zoek een moment",
    taken: "Dat moment is intussen bezet. Kies opnieuw.",
  },
  en: {
    title: { cable_stuck: "Release a charging cable", charger_offline: "Charge point repair",
             payment_failure: "Payment terminal repair", parcel_delivery: "Delivery",
             _: "Your visit" },
    status: { scheduled: "Scheduled", en_route: "On the way", arrived: "Arrived",
              started: "In progress", completed: "Done", failed: "Not completed", open: "Received",
              assigned: "Scheduled", unassigned: "Finding a technician",
              done: "Closed", cancelled: "Cancelled" },
    between: "Expected between", updated: "Updated at", unknown: "This link is not (or no longer) valid.",
    arriving: (n) => `${n} will come by within this window.`, footer: "This page refreshes by itself.",
    disrupted: (n, r) => `${n || "Your technician"} has been held up: ${r || "an unexpected problem"}. We are changing your appointment and will tell you at once.`,
    choose: (r) => `Your appointment cannot go ahead as planned: ${r || "an unexpected problem"}. Please choose a new time below.`,
    delayed: (n, r) => `${n || "Your technician"} will be later than we said: ${({ traffic: "heavy traffic",
      previous_job_longer: "the previous visit is taking longer", urgent_case: "an urgent case came first",
      weather: "the weather", breakdown: "a breakdown on the way" })[r] || "an unexpected delay"}. The new window is shown above.`,
    told: "What we told you",
    done: "The visit is done. Thank you!", notDone: "It did not work out. We will contact you.",
    mailOn: "We keep you posted by e-mail.", mailOff: "You no longer receive e-mails from us.",
    mailStop: "Stop e-mails", mailStart: "Turn e-mails back on",
    mailFailed: "That did not work. Please try again in a moment.",
    confirmTitle: "Is everything solved the way you wanted?", yes: "Yes, solved", no: "No, not yet",
    scoreLabel: "How likely are you to recommend us? (0 = not at all, 10 = certainly)",
    comment: "Anything else to tell us? (optional)", send: "Send",
    thanks: "Thank you! Your case is closed.", already: "We had your answer already. Thank you!", again: "Thank you. We are planning a new visit and will tell you when.",
    offerTitle: "Choose your new appointment", offerDone: "Your new appointment is confirmed.",
    hold: (hh) => `We hold the first one for you until ${hh}. If you choose nothing, we confirm it.`,
    held: "held for you", otherDay: "Or another day:", find: "Find a time",
    taken: "That time was just taken. Please choose again.",
  },
};
const token = decodeURIComponent(location.pathname.split("/").filter(Boolean).pop());
const $ = (id) => document.getElementById(id);
function hhmm(iso) { return iso.slice(11, 16); }
let lang = (navigator.language || "nl").slice(0, 2) === "en" ? "en" : "nl";
let arrived = true;  // the first answer: scroll to the messages if the link asked (#messages)
// The customer's channels and opt-outs (no addresses): a button to stop or restart e-mails.
function showPrefs(p) {
  const t = TEXT[lang];
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
    $("prefs-error").textContent = TEXT[lang].mailFailed; $("prefs-error").hidden = false;
  } finally { button.disabled = false; }
});
// After the visit: the customer says whether it is solved, and scores us (0-10).
const answer = { solved: null, nps: null };
function showConfirm(v) {
  const t = TEXT[lang];
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
  const t = TEXT[lang];
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
  const t = TEXT[lang];
  const open = o.status === "held";
  $("offer").hidden = false;
  $("offer-title").textContent = open ? t.offerTitle : t.offerDone;
  $("offer-choices").hidden = !open;
  $("offer-note").hidden = !note; $("offer-note").textContent = note || "";
  if (!open) return;
  $("offer-hold").textContent = t.hold(hhmm(o.hold_until));
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
  const t = TEXT[lang];
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
async function refresh() {
  $("card").hidden = false;  // without a script the page shows its <noscript> content instead
  try {
    const resp = await fetch(`/api/track/${encodeURIComponent(token)}`);
    if (!resp.ok) {
      const t = TEXT[lang];
      $("title").textContent = t.title._; $("status").hidden = true;
      $("message").textContent = t.unknown; $("when").hidden = true;
      $("messages").hidden = true; return;
    }
    const v = await resp.json();
    lang = v.locale === "en" ? "en" : "nl";
    document.documentElement.lang = lang;
    const t = TEXT[lang];
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
    const coming = ["scheduled", "assigned", "en_route"].includes(v.status);
    $("message").textContent = v.situation === "choose" ? t.choose(v.reason)
      : v.situation === "disrupted" ? t.disrupted(v.technician_first_name, v.reason)
      : v.situation === "delayed" && coming ? t.delayed(v.technician_first_name, v.reason)
      : coming && v.technician_first_name ? t.arriving(v.technician_first_name)
      : v.status === "completed" ? t.done : v.status === "failed" ? t.notDone
      : v.status === "cancelled" ? t.status.cancelled + "." : v.message;
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
    if (arrived && location.hash === "#confirm" && !$("confirm").hidden) $("confirm").scrollIntoView();
    if ($("offer-note").hidden) await loadOffer();  // keep a note shown until the next answer
    if (arrived && location.hash === "#reschedule" && !$("offer").hidden) $("offer").scrollIntoView();
    if (arrived && location.hash === "#messages" && !$("messages").hidden) {
      $("messages").scrollIntoView(); $("prefs-toggle").focus({ preventScroll: true });
    }
    arrived = false;
  } catch (e) { /* offline: keep what is shown, try again later */ }
}
refresh();
setInterval(refresh, 10000);  // a step on the technician's phone shows here within 10 s
