// Logging in from the staff's pages (the console and the phone page): tokens live in
// the tab's session storage; an expired access token is refreshed once, then the page
// is told to show its login form again.
"use strict";
const Session = {
  token: () => sessionStorage.getItem("fd-access"),
  keep(t) {
    sessionStorage.setItem("fd-access", t.access_token);
    sessionStorage.setItem("fd-refresh", t.refresh_token);
  },
  async logIn(username, password) {
    const r = await fetch("/api/auth/token", { method: "POST",
      body: new URLSearchParams({ username, password }) });
    if (r.ok) Session.keep(await r.json());
    return r.ok;
  },
  async refresh() {
    const r = await fetch("/api/auth/refresh", { method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ refresh_token: sessionStorage.getItem("fd-refresh") || "" }) });
    if (r.ok) Session.keep(await r.json());
    return r.ok;
  },
  onLoggedOut: () => {},
  async api(path, options = {}) {
    const go = () => fetch(path, { ...options, headers: { ...(options.headers || {}),
      Authorization: `Bearer ${Session.token()}` } });
    let r = await go();
    if (r.status === 401 && await Session.refresh()) r = await go();
    if (r.status === 401) { Session.onLoggedOut(); throw new Error("logged out"); }
    return r;
  },
  json: (body) => ({ method: "POST", headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body) }),
  clear: () => sessionStorage.clear(),
};
