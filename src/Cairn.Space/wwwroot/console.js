// Cairn Space console: small enhancements over server-rendered pages, which read fine without them.
(() => {
  "use strict";
  const dateTime = new Intl.DateTimeFormat(undefined, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short",
  });
  const clockTime = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
  const dayMonth = new Intl.DateTimeFormat(undefined, { day: "numeric", month: "short" });
  const relative = new Intl.RelativeTimeFormat(undefined, { numeric: "auto" });
  const units = [["year", 31557600], ["month", 2629800], ["day", 86400], ["hour", 3600], ["minute", 60]];

  function ago(date) {
    const seconds = (date.getTime() - Date.now()) / 1000;
    if (Math.abs(seconds) < 45) return "just now"; // as the server writes it
    for (const [unit, size] of units) {
      if (Math.abs(seconds) >= size || unit === "minute") return relative.format(Math.round(seconds / size), unit);
    }
    return "";
  }

  // Times: the server writes UTC; show them in the viewer's zone with a relative hint.
  for (const el of document.querySelectorAll("time[datetime]")) {
    const date = new Date(el.getAttribute("datetime"));
    if (Number.isNaN(date.getTime())) continue;
    el.textContent = dateTime.format(date);
  }
  for (const el of document.querySelectorAll("[data-ago-for]")) {
    const date = new Date(el.getAttribute("data-ago-for"));
    if (!Number.isNaN(date.getTime())) el.textContent = ago(date);
  }

  // Chart tick labels in the viewer's zone too.
  for (const el of document.querySelectorAll("svg text[data-at]")) {
    const date = new Date(el.getAttribute("data-at"));
    el.textContent = el.getAttribute("data-format") === "time" ? clockTime.format(date) : dayMonth.format(date);
  }
  for (const el of document.querySelectorAll("svg text[data-zone-title]")) {
    el.textContent = el.getAttribute("data-zone-title") + " (" + Intl.DateTimeFormat().resolvedOptions().timeZone + ")";
  }

  // Copy buttons: hidden until this script can make them work.
  async function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      try { await navigator.clipboard.writeText(text); return true; } catch { /* fall back below */ }
    }
    const area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    const done = document.execCommand("copy");
    area.remove();
    return done;
  }
  for (const button of document.querySelectorAll("button[data-copy]")) {
    const source = document.getElementById(button.getAttribute("data-copy"));
    if (!source) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const ok = await copy(source.textContent.trim());
      button.textContent = ok ? "Copied" : "Press Ctrl+C";
      button.classList.toggle("copied", ok);
      if (!ok) {
        const range = document.createRange();
        range.selectNodeContents(source);
        const selection = window.getSelection();
        selection.removeAllRanges();
        selection.addRange(range);
      }
      setTimeout(() => { button.textContent = "Copy"; button.classList.remove("copied"); }, 2000);
    });
  }
})();
