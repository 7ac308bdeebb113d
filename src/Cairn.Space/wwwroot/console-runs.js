// Cairn Space console: a plan's runs kept current without reloading the page. The run history page
// (form[data-live-runs]) and the Plans page (form[data-live-plans]) name a cookie-authorized JSON route
// (Web/Plans/LiveRunsApi.cs); every two seconds this asks it again and writes what the server would have written:
// the figures arrive in words, so this file only places them. Without scripts the pages read fine as rendered.
(() => {
  "use strict";
  const every = 2000;
  const locale = document.documentElement.lang || "en";
  const dateTime = new Intl.DateTimeFormat(locale, {
    year: "numeric", month: "short", day: "numeric", hour: "2-digit", minute: "2-digit", timeZoneName: "short", hourCycle: "h23",
  });
  const relative = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined && text !== null) el.textContent = text;
    return el;
  }

  function ago(date) {
    const seconds = (date.getTime() - Date.now()) / 1000;
    if (Math.abs(seconds) < 45) return "just now";
    const units = [["year", 31557600], ["month", 2629800], ["day", 86400], ["hour", 3600], ["minute", 60]];
    for (const [unit, size] of units) {
      if (Math.abs(seconds) >= size || unit === "minute") return relative.format(Math.round(seconds / size), unit);
    }
    return "";
  }

  // As the LocalTime component writes a moment (console.js has rewritten the server's ones the same way).
  function localTime(iso, utcText) {
    const when = element("span", "when");
    const time = element("time", null, utcText);
    time.setAttribute("datetime", iso);
    time.title = utcText;
    const date = new Date(iso);
    if (!Number.isNaN(date.getTime())) time.textContent = dateTime.format(date);
    when.append(time, element("span", "ago", Number.isNaN(date.getTime()) ? "" : ago(date)));
    return when;
  }

  // The bar of a running run, changed in place so its element (and its focus) stays; null removes it.
  function placeBar(cell, bar, rate, label) {
    let holder = cell.querySelector(".run-progress");
    if (!bar) {
      if (holder) holder.remove();
      return;
    }
    if (!holder) {
      holder = element("span", "run-progress");
      holder.append(element("progress", "bar"), element("span", "progress-text"));
      cell.append(holder);
    }
    const progress = holder.querySelector("progress");
    progress.setAttribute("aria-label", label);
    progress.textContent = bar.text;
    if (bar.max > 0) {
      progress.max = bar.max;
      progress.value = bar.value;
    } else {
      progress.removeAttribute("value"); // indeterminate until a total is known
    }
    holder.querySelector(".progress-text").textContent = bar.text;
    let rateEl = holder.querySelector(".rate");
    if (rate && !rateEl) holder.append(rateEl = element("span", "rate"));
    if (rateEl) {
      if (rate) rateEl.textContent = rate; else rateEl.remove();
    }
  }

  function cellOf(row, className, label, tag = "td") {
    let cell = row.querySelector(":scope > ." + className.split(" ").pop());
    if (!cell) {
      cell = element(tag, className);
      if (label) cell.setAttribute("data-label", label);
      if (tag === "th") cell.scope = "row";
      row.append(cell);
    }
    return cell;
  }

  // One row of the run history, as RunRow.razor renders it.
  function writeRun(row, run, say) {
    const before = row.getAttribute("data-phase");
    row.setAttribute("data-run", run.id);
    row.setAttribute("data-phase", run.phase);
    const started = cellOf(row, "started", "Started", "th");
    if (!started.querySelector("time")) started.append(localTime(run.startedAt, run.startedText));
    const what = cellOf(row, "trigger", "What");
    if (!what.querySelector(".kind")) what.append(element("span", "kind", run.kindText), " ", element("span", "hint", run.triggerText));
    cellOf(row, "phase", "Phase").textContent = run.phaseText;
    cellOf(row, "duration", "Duration").textContent = run.durationText;
    cellOf(row, "num files", "Files").textContent = run.filesText;
    cellOf(row, "num added", "Added").textContent = run.addedText;
    const notes = cellOf(row, "notes", "Progress and notes");
    placeBar(notes, run.bar, run.rateText, "Progress of the run started " + run.startedText);
    for (const old of notes.querySelectorAll(":scope > .run-error, :scope > .run-warnings, :scope > .snapshot")) old.remove();
    if (run.errorText) notes.append(element("span", "run-error", run.errorText));
    if (run.warningsText) notes.append(element("span", "run-warnings", run.warningsText));
    if (run.snapshotShort) {
      const snapshot = element("span", "hint snapshot", "snapshot ");
      snapshot.append(element("code", null, run.snapshotShort));
      notes.append(snapshot);
    }
    const actions = cellOf(row, "actions");
    const cancel = actions.querySelector(".cancel-run");
    if (run.ended && cancel) cancel.remove();
    if (!run.ended && !cancel) {
      const button = element("button", "cancel-run", "Cancel");
      button.type = "submit";
      button.name = "RunAction.Cancel";
      button.value = run.id;
      button.append(element("span", "visually-hidden", " the run started " + run.startedText));
      actions.append(button);
    }
    if (before !== run.phase && before !== null) say(run.kindText + " started " + run.startedText + ": " + run.phaseText);
  }

  function runHistory(form, runs, say) {
    const body = form.querySelector("tbody");
    if (runs.length > 0) {
      form.querySelector("table").hidden = false;
      for (const empty of document.querySelectorAll(".empty-runs")) empty.hidden = true;
    }
    let previous = null;
    for (const run of runs) {
      let row = body.querySelector(`tr[data-run="${run.id}"]`);
      if (!row) row = element("tr");
      writeRun(row, run, say);
      // Newest first, as the server orders them.
      const next = previous ? previous.nextElementSibling : body.firstElementChild;
      if (next !== row) body.insertBefore(row, next);
      previous = row;
    }
    return runs.some(r => !r.ended);
  }

  // The Plans page's "Last run" column (and "Last snapshot" once a run made one).
  function plans(form, latest) {
    for (const { planId, run } of latest) {
      const row = form.querySelector(`tr[data-plan-id="${planId}"]`);
      if (!row || !run) continue;
      const cell = row.querySelector(".last-run");
      if (cell.getAttribute("data-run") !== run.id) {
        cell.replaceChildren(element("span", "run-phase"), " ", localTime(run.startedAt, run.startedText));
        cell.setAttribute("data-run", run.id);
      }
      cell.setAttribute("data-phase", run.phase);
      cell.querySelector(".run-phase").textContent = run.phaseText;
      placeBar(cell, run.bar, run.rateText, "Progress of " + row.getAttribute("data-plan"));
      if (run.ended && run.snapshotShort && run.endedAt) {
        const snapshot = row.querySelector(".last-snapshot");
        const time = snapshot.querySelector("time");
        if (!time || time.getAttribute("datetime") !== run.endedAt) snapshot.replaceChildren(localTime(run.endedAt, run.endedAt));
      }
    }
  }

  function poll(url, apply) {
    const status = element("p", "visually-hidden");
    status.setAttribute("role", "status");
    document.querySelector("main")?.append(status);
    const say = text => { status.textContent = text; };
    let timer = null;
    let busy = false;
    async function tick() {
      timer = null;
      busy = true;
      try {
        const response = await fetch(url, { headers: { Accept: "application/json" }, cache: "no-store", redirect: "error" });
        if (response.ok && (response.headers.get("content-type") || "").includes("json")) {
          apply(await response.json(), say);
          const root = document.documentElement;
          root.setAttribute("data-live-updates", String(Number(root.getAttribute("data-live-updates") || "0") + 1));
        }
      } catch {
        // Space unreachable or signed out for now: the figures stay as they were; the next tick asks again.
      } finally {
        busy = false;
      }
      if (document.visibilityState !== "hidden") timer = setTimeout(tick, every);
    }
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "visible" && timer === null && !busy) tick();
    });
    timer = setTimeout(tick, every);
  }

  for (const form of document.querySelectorAll("form[data-live-runs]")) {
    poll(form.getAttribute("data-live-runs"), (runs, say) => runHistory(form, runs, say));
  }
  for (const form of document.querySelectorAll("form[data-live-plans]")) {
    poll(form.getAttribute("data-live-plans"), latest => plans(form, latest));
  }
})();
