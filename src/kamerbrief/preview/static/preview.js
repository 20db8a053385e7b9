// kamerbrief preview: swap in the newer state when the server says there is one.
// The page works without this file; it only saves a reload. Nothing here loads from elsewhere.
(function () {
  "use strict";
  const form = document.getElementById("toggles");
  let shown = Number(document.getElementById("state").dataset.version);
  let asked = 0;

  form.classList.add("live");

  function query() {
    const params = new URLSearchParams();
    for (const box of form.querySelectorAll("input[type=checkbox]")) {
      if (box.checked) params.set(box.name, "1");
    }
    const text = params.toString();
    return text ? "?" + text : "";
  }

  async function refresh() {
    const mine = ++asked;
    let response;
    try {
      response = await fetch("/state" + query(), { cache: "no-store" });
    } catch (error) {
      return;  // the server stopped; the EventSource reconnects by itself
    }
    if (!response.ok || mine !== asked) return;
    const holder = document.createElement("template");
    holder.innerHTML = await response.text();
    const fresh = holder.content.querySelector("#state");
    if (!fresh) return;
    // Load the new page images first, so the swap does not flicker.
    await Promise.all(Array.from(fresh.querySelectorAll("img"), (img) => {
      const loader = new Image();
      loader.src = img.getAttribute("src");
      return loader.decode().catch(() => undefined);
    }));
    if (mine !== asked) return;
    document.getElementById("state").replaceWith(fresh);
    shown = Number(fresh.dataset.version);
  }

  form.addEventListener("change", () => {
    history.replaceState(null, "", location.pathname + query());
    refresh();
  });
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    refresh();
  });

  const offline = document.getElementById("offline");
  const events = new EventSource("/events");  // reconnects by itself after a restart
  events.addEventListener("state", (event) => {
    offline.hidden = true;
    if (Number(event.data) !== shown) refresh();
  });
  events.addEventListener("error", () => { offline.hidden = false; });
})();
