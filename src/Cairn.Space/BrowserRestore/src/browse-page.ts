// The "Browse files" page: opens the repository with the password typed here, lists folders, downloads files and
// folders. The password and every key stay in this tab's memory; requests carry only the sign-in cookie.
import type { KdfParameters } from "./crypto.js";
import { displayName } from "./encoding.js";
import type { TreeNode } from "./format.js";
import { fileBytes, folderTar, planFolder } from "./download.js";
import { HttpSource, Repository, WrongPasswordError } from "./repository.js";
import { saveStream } from "./save.js";

const root = document.getElementById("browse") as HTMLElement;
const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const passwordInput = $<HTMLInputElement>("browse-password");
const snapshotSelect = $<HTMLSelectElement>("browse-snapshot");
const openButton = $<HTMLButtonElement>("browse-open");
const message = $<HTMLElement>("browse-message");
const files = $<HTMLElement>("browse-files");
const pathBar = $<HTMLElement>("browse-path");
const snapshotFacts = $<HTMLElement>("browse-snapshot-facts");
const filter = $<HTMLInputElement>("browse-filter");
const sort = $<HTMLSelectElement>("browse-sort");
const rows = $<HTMLTableSectionElement>("browse-rows");
const folderButton = $<HTMLButtonElement>("browse-download-folder");
const progressBox = $<HTMLElement>("browse-transfer");
const progressBar = $<HTMLProgressElement>("browse-progress");
const progressText = $<HTMLElement>("browse-progress-text");
const cancelButton = $<HTMLButtonElement>("browse-cancel");
const workerUrl = root.dataset["kdfWorker"]!;

let repo: Repository | undefined;
let trail: TreeNode[] = []; // folders from the snapshot's root to the one shown
let listing: TreeNode[] = [];
let transfer: AbortController | undefined;

function say(text: string, kind: "info" | "error" = "info"): void {
  message.textContent = text;
  message.className = kind === "error" ? "note error" : "note";
  message.hidden = text.length === 0;
}

/** scrypt in a worker: the page stays responsive while it runs. */
function deriveInWorker(password: string, params: KdfParameters): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl, { type: "module" });
    worker.onmessage = (e: MessageEvent<{ key?: Uint8Array; error?: string }>) => {
      worker.terminate();
      if (e.data.key) resolve(e.data.key);
      else reject(new Error(e.data.error ?? "key derivation failed"));
    };
    worker.onerror = () => {
      worker.terminate();
      reject(new Error("key derivation failed"));
    };
    worker.postMessage({ password, N: params.N, r: params.r, p: params.p, salt: params.salt });
  });
}

async function open(): Promise<void> {
  const password = passwordInput.value;
  if (password.length === 0) {
    say("Enter the backup password.", "error");
    return;
  }
  openButton.disabled = true;
  say("Opening the repository… (the password is checked here, in your browser)");
  try {
    repo = await Repository.open(new HttpSource(root.dataset["repository"]!), password, deriveInWorker);
    passwordInput.value = "";
    await showSnapshot(snapshotSelect.value);
    say("");
  } catch (error) {
    repo = undefined;
    files.hidden = true;
    say(error instanceof WrongPasswordError
      ? "Wrong password: it does not open this backup's repository. Nothing was downloaded."
      : `The repository could not be read: ${(error as Error).message}`, "error");
  } finally {
    openButton.disabled = false;
  }
}

async function showSnapshot(id: string): Promise<void> {
  const snapshot = await repo!.snapshot(id);
  // Only the password reveals these: the snapshot's host and tags, so two snapshots of one minute are told apart.
  snapshotFacts.textContent = `Host: ${snapshot.hostname || "unknown"} · Tags: ${snapshot.tags.length > 0 ? snapshot.tags.join(", ") : "none"}`;
  trail = [{ name: new Uint8Array(0), type: "dir", mode: 0o755, mtime: snapshot.time, size: 0, linkTarget: undefined, content: [], subtree: snapshot.tree }];
  await showFolder();
  files.hidden = false;
}

async function showFolder(): Promise<void> {
  const folder = trail[trail.length - 1]!;
  listing = await repo!.tree(folder.subtree!);
  renderPath();
  renderRows();
}

function renderPath(): void {
  pathBar.replaceChildren();
  trail.forEach((node, i) => {
    if (i > 0) pathBar.append(" / ");
    const label = i === 0 ? "Snapshot" : displayName(node.name);
    if (i === trail.length - 1) {
      const here = document.createElement("span");
      here.textContent = label;
      here.setAttribute("aria-current", "location");
      pathBar.append(here);
    } else {
      const b = document.createElement("button");
      b.type = "button";
      b.className = "link";
      b.textContent = label;
      b.addEventListener("click", () => { trail = trail.slice(0, i + 1); void showFolder(); });
      pathBar.append(b);
    }
  });
}

const sizeFormat = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
function humanBytes(n: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let i = 0;
  let v = n;
  while (v >= 1000 && i < units.length - 1) { v /= 1000; i++; }
  return `${sizeFormat.format(v)} ${units[i]}`;
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return a.length - b.length;
}

function renderRows(): void {
  const needle = filter.value.trim().toLocaleLowerCase();
  const shown = listing.filter(n => needle === "" || displayName(n.name).toLocaleLowerCase().includes(needle));
  const key = sort.value;
  shown.sort((a, b) => {
    if ((a.type === "dir") !== (b.type === "dir")) return a.type === "dir" ? -1 : 1;
    if (key === "size") return b.size - a.size || compareBytes(a.name, b.name);
    if (key === "mtime") return Date.parse(b.mtime) - Date.parse(a.mtime) || compareBytes(a.name, b.name);
    return compareBytes(a.name, b.name);
  });
  rows.replaceChildren(...shown.map(row));
  if (shown.length === 0) {
    const tr = document.createElement("tr");
    const td = document.createElement("td");
    td.colSpan = 5;
    td.className = "muted";
    td.textContent = listing.length === 0 ? "This folder is empty." : "Nothing here matches the search.";
    tr.append(td);
    rows.append(tr);
  }
}

function row(node: TreeNode): HTMLTableRowElement {
  const tr = document.createElement("tr");
  const name = displayName(node.name);
  tr.dataset["name"] = name;
  tr.dataset["type"] = node.type;
  const nameCell = document.createElement("td");
  nameCell.className = "name";
  if (node.type === "dir") {
    const b = document.createElement("button");
    b.type = "button";
    b.className = "link";
    b.textContent = name;
    b.addEventListener("click", () => { trail = [...trail, node]; filter.value = ""; void showFolder(); });
    nameCell.append(b);
  } else {
    nameCell.textContent = node.type === "symlink" ? `${name} → ${node.linkTarget ?? ""}` : name;
  }
  const type = cell(node.type === "dir" ? "folder" : node.type, "type");
  const size = cell(node.type === "file" ? humanBytes(node.size) : "", "num size");
  const time = cell(node.mtime ? new Date(node.mtime).toLocaleString() : "", "mtime");
  const actions = document.createElement("td");
  if (node.type === "file" || node.type === "dir") {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = node.type === "dir" ? "Download .tar" : "Download";
    b.setAttribute("aria-label", `${b.textContent} ${name}`);
    b.addEventListener("click", () => void download(node));
    actions.append(b);
  }
  tr.append(nameCell, type, size, time, actions);
  return tr;
}

function cell(text: string, className: string): HTMLTableCellElement {
  const td = document.createElement("td");
  td.className = className;
  td.textContent = text;
  return td;
}

async function download(node: TreeNode): Promise<void> {
  if (!repo || transfer) return;
  transfer = new AbortController();
  const signal = transfer.signal;
  progressBox.hidden = false;
  progressBox.dataset["state"] = "running";
  progressBar.value = 0;
  progressText.textContent = "Preparing…";
  try {
    const name = displayName(node.name) || "snapshot";
    let total: number;
    let source: AsyncGenerator<Uint8Array>;
    let fileName: string;
    if (node.type === "dir") {
      const plan = await planFolder(repo, node, signal);
      total = plan.total;
      source = folderTar(repo, plan.entries, signal);
      fileName = `${name}.tar`;
    } else {
      total = node.size;
      source = fileBytes(repo, node, signal);
      fileName = name;
    }
    let done = 0;
    const counted = (async function* () {
      for await (const chunk of source) {
        signal.throwIfAborted(); // a stream pulled after Cancel must not move the bar again
        yield chunk;
        if (signal.aborted) return;
        done += node.type === "dir" ? Math.min(chunk.length, Math.max(0, total - done)) : chunk.length;
        progressBar.value = total === 0 ? 1 : done / total;
        progressText.textContent = `${humanBytes(done)} of ${humanBytes(total)}`;
      }
    })();
    progressBox.dataset["via"] = await saveStream(counted, { fileName, size: node.type === "dir" ? undefined : total, serviceWorker: root.dataset["downloadWorker"], signal });
    progressBar.value = 1;
    progressText.textContent = `Downloaded ${fileName} (${humanBytes(total)}).`;
    progressBox.dataset["state"] = "done";
  } catch (error) {
    progressBox.dataset["state"] = signal.aborted ? "cancelled" : "failed";
    progressText.textContent = signal.aborted ? "Cancelled: nothing was saved." : `The download failed: ${(error as Error).message}`;
  } finally {
    transfer = undefined;
  }
}

openButton.addEventListener("click", () => void open());
passwordInput.addEventListener("keydown", e => { if (e.key === "Enter") { e.preventDefault(); void open(); } });
snapshotSelect.addEventListener("change", () => { if (repo) void showSnapshot(snapshotSelect.value); });
filter.addEventListener("input", renderRows);
sort.addEventListener("change", renderRows);
folderButton.addEventListener("click", () => { const here = trail[trail.length - 1]; if (here) void download(here); });
cancelButton.addEventListener("click", () => transfer?.abort());
