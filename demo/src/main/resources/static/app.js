// The live page: polls /api/stats and calls each endpoint. Errors show on the page itself.
"use strict";
const $ = (id) => document.getElementById(id);

window.addEventListener("error", (event) => { $("errors").textContent = "Error: " + event.message; });

async function call(method, path, body) {
  const options = { method, headers: {} };
  if (body !== undefined) {
    options.headers["Content-Type"] = "application/json";
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const text = await response.text();
  const limits = ["RateLimit-Policy", "RateLimit", "Retry-After"]
    .filter((name) => response.headers.get(name) !== null)
    .map((name) => name + ": " + response.headers.get(name)).join("\n");
  if (limits) {
    $("limitHeaders").textContent = response.status + "\n" + limits;
  }
  $("answer").textContent = method + " " + path + " -> " + response.status + "\n"
    + (limits ? limits + "\n" : "") + text;
  return { status: response.status, json: text ? JSON.parse(text) : null };
}

function show(stats) {
  $("mode").textContent = stats.mode;
  $("health").textContent = stats.health;
  $("hitRate").textContent = (stats.productHitRate * 100).toFixed(1) + " %";
  $("hitsMisses").textContent = stats.productHits + " / " + stats.productMisses;
  $("commands").textContent = stats.mode === "redis" ? String(stats.redisCommands) : "n/a";
  $("sessions").textContent = String(stats.sessions);
}

// Once per page load: each call counts a visit in the signed-in user's session.
async function showMe() {
  const response = await fetch("/api/me");
  const me = await response.json();
  $("instance").textContent = me.instance;
  $("signIn").hidden = me.signedIn;
  $("signOut").hidden = !me.signedIn;
  if (me.signedIn) {
    $("who").textContent = "Signed in as " + me.user + ".";
    $("visits").textContent = "Visits in this session: " + me.visits + ", served by "
      + me.instances.join(", ") + ".";
  } else {
    $("who").textContent = new URLSearchParams(location.search).has("expired")
      ? "Your session ended: you signed in elsewhere." : "Not signed in.";
  }
}

async function refresh() {
  try {
    const response = await fetch("/api/stats");
    if (response.ok) {
      show(await response.json());
      document.body.dataset.updated = String(Date.now());
    }
  } catch (e) {
    // The service restarts or the network blinks: the next poll tries again.
  }
}

$("lookup").onclick = () => call("GET", "/api/products/" + encodeURIComponent($("sku").value));
$("create").onclick = async () => {
  const created = await call("POST", "/api/sessions", { userId: $("user").value, data: { theme: "dark" } });
  if (created.status === 201) {
    $("sessionId").value = created.json.id;
  }
};
$("read").onclick = () => call("GET", "/api/sessions/" + encodeURIComponent($("sessionId").value));
$("update").onclick = () => call("PATCH", "/api/sessions/" + encodeURIComponent($("sessionId").value),
  { last_page: "/dashboard" });
$("delete").onclick = () => call("DELETE", "/api/sessions/" + encodeURIComponent($("sessionId").value));
$("limited").onclick = () => call("GET", "/api/limited?user=" + encodeURIComponent($("limitedUser").value));
$("burst").onclick = async () => {
  for (let i = 0; i < 20; i++) {
    await call("GET", "/api/limited?user=" + encodeURIComponent($("limitedUser").value));
  }
};

showMe();
refresh();
setInterval(refresh, 1000);
