// Cairn Space console: small enhancements over server-rendered pages, which read fine without them.
(() => {
  "use strict";
  // One locale for every date and number the console writes: Space's Space:Console:Locale, put on <html lang>, never
  // the browser's language mixed into English text.
  const locale = document.documentElement.lang || "en";
  // A 24-hour clock in every locale, as the server's UTC fallback text writes it.
  const clock = { hourCycle: "h23" };
  const dateTime = new Intl.DateTimeFormat(locale, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short", ...clock,
  });
  const dateTimeSeconds = new Intl.DateTimeFormat(locale, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", second: "2-digit", timeZoneName: "short", ...clock,
  });
  const clockTime = new Intl.DateTimeFormat(locale, { hour: "2-digit", minute: "2-digit", ...clock });
  const dayMonth = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short" });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });
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
    el.textContent = (el.hasAttribute("data-seconds") ? dateTimeSeconds : dateTime).format(date);
  }
  // Snapshot pickers: the UTC time inside each option's label, in the viewer's zone (with seconds).
  for (const el of document.querySelectorAll("option[data-at][data-utc]")) {
    const date = new Date(el.getAttribute("data-at"));
    if (Number.isNaN(date.getTime())) continue;
    el.textContent = el.textContent.replace(el.getAttribute("data-utc"), dateTimeSeconds.format(date));
  }
  for (const el of document.querySelectorAll("[data-ago-for]")) {
    const date = new Date(el.getAttribute("data-ago-for"));
    if (!Number.isNaN(date.getTime())) el.textContent = ago(date);
  }

  // A new plan's time zone field starts as the viewer's zone, the one the console shows times in.
  for (const el of document.querySelectorAll("input[data-default-zone]")) {
    if (!el.value) el.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  }

  // Chart tick labels in the viewer's zone too.
  for (const el of document.querySelectorAll("svg text[data-at]")) {
    const date = new Date(el.getAttribute("data-at"));
    el.textContent = el.getAttribute("data-format") === "time" ? clockTime.format(date) : dayMonth.format(date);
  }
  for (const el of document.querySelectorAll("svg text[data-zone-title]")) {
    el.textContent = el.getAttribute("data-zone-title") + " (" + Intl.DateTimeFormat().resolvedOptions().timeZone + ")";
  }

  // On a narrow screen the chart shrinks and its labels grow: show every second (third, …) time label until none
  // collides with another label, and keep the end labels inside the chart.
  function overlap(a, b) { return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom; }
  function fitLabels(svg) {
    const times = [...svg.querySelectorAll(".x-axis text[data-at]")];
    const fixed = [...svg.querySelectorAll("text")].filter(t => !times.includes(t));
    const frame = svg.getBoundingClientRect();
    for (const t of times) t.setAttribute("text-anchor", "middle");
    for (const t of [times[0], times[times.length - 1]]) {
      if (!t) continue;
      const box = t.getBoundingClientRect();
      if (box.left < frame.left) t.setAttribute("text-anchor", "start");
      if (box.right > frame.right) t.setAttribute("text-anchor", "end");
    }
    times.forEach(t => { t.style.display = ""; });
    const fixedBoxes = fixed.map(t => t.getBoundingClientRect());
    const free = times.filter(t => { const box = t.getBoundingClientRect(); return !fixedBoxes.some(f => overlap(f, box)); });
    times.forEach(t => { if (!free.includes(t)) t.style.display = "none"; });
    for (let every = 1; every <= Math.max(1, free.length); every++) {
      free.forEach((t, i) => { t.style.display = i % every === 0 ? "" : "none"; });
      const boxes = free.filter(t => t.style.display !== "none").map(t => t.getBoundingClientRect());
      if (!boxes.some((a, i) => boxes.some((b, j) => j > i && overlap(a, b)))) return;
    }
  }
  const charts = [...document.querySelectorAll("svg.usage-chart")];
  const fitAll = () => charts.forEach(fitLabels);
  if (charts.length > 0) {
    fitAll();
    window.addEventListener("resize", fitAll);
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
