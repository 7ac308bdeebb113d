// Hands decrypted bytes to the browser as a download. First choice: a service worker (download-sw.ts) serves them
// as a streamed response, so the browser writes them to disk as they are decrypted. Without one (an old browser, a
// private window that refuses workers): batches are folded into a Blob, which the browser keeps on disk when large.
const batchBytes = 16 << 20;

export interface SaveOptions {
  readonly fileName: string;
  readonly size: number | undefined;
  readonly serviceWorker: string | undefined; // the worker's script URL; its folder is its scope
  readonly signal: AbortSignal;
}

/** Saves the bytes and says how: streamed by the service worker, or gathered in a Blob. */
export async function saveStream(chunks: AsyncIterable<Uint8Array>, options: SaveOptions): Promise<"service-worker" | "blob"> {
  const worker = options.serviceWorker ? await downloadWorker(options.serviceWorker) : undefined;
  if (worker) {
    await saveThroughWorker(worker.registration, worker.active, chunks, options);
    return "service-worker";
  }
  await saveAsBlob(chunks, options);
  return "blob";
}

async function downloadWorker(script: string): Promise<{ registration: ServiceWorkerRegistration; active: ServiceWorker } | undefined> {
  if (!("serviceWorker" in navigator) || !window.isSecureContext || typeof ReadableStream === "undefined") return undefined;
  try {
    const scope = new URL("./", new URL(script, location.href)).pathname;
    const registration = await navigator.serviceWorker.register(script, { scope });
    const active = registration.active ?? await new Promise<ServiceWorker | undefined>(resolve => {
      const installing = registration.installing ?? registration.waiting;
      if (!installing) return resolve(undefined);
      installing.addEventListener("statechange", () => {
        if (installing.state === "activated") resolve(installing);
        if (installing.state === "redundant") resolve(undefined);
      });
    });
    return active ? { registration, active } : undefined;
  } catch {
    return undefined;
  }
}

async function saveThroughWorker(registration: ServiceWorkerRegistration, worker: ServiceWorker, chunks: AsyncIterable<Uint8Array>, options: SaveOptions): Promise<void> {
  const iterator = chunks[Symbol.asyncIterator]();
  let finish!: () => void;
  let fail!: (error: unknown) => void;
  const finished = new Promise<void>((resolve, reject) => { finish = resolve; fail = reject; });
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const next = await iterator.next();
        if (next.done) {
          controller.close();
          finish();
        } else {
          controller.enqueue(next.value);
        }
      } catch (error) {
        controller.error(error);
        fail(error);
      }
    },
    cancel(reason) {
      void iterator.return?.();
      fail(new Error(`the browser stopped the download (${String(reason ?? "cancelled")})`));
    },
  }, { highWaterMark: 1 });
  options.signal.addEventListener("abort", () => fail(options.signal.reason), { once: true });

  const id = crypto.randomUUID();
  const channel = new MessageChannel();
  const ready = new Promise<void>(resolve => { channel.port1.onmessage = () => resolve(); });
  worker.postMessage({ id, stream, name: options.fileName, size: options.size }, [channel.port2, stream as unknown as Transferable]);
  await ready;
  click(new URL(`download/${id}`, registration.scope).href, undefined);
  await finished;
}

async function saveAsBlob(chunks: AsyncIterable<Uint8Array>, options: SaveOptions): Promise<void> {
  let blob = new Blob([]);
  let batch: Uint8Array[] = [];
  let batched = 0;
  for await (const chunk of chunks) {
    options.signal.throwIfAborted();
    batch.push(chunk);
    batched += chunk.length;
    if (batched >= batchBytes) {
      blob = new Blob([blob, ...(batch as BlobPart[])]);
      batch = [];
      batched = 0;
    }
  }
  options.signal.throwIfAborted();
  blob = new Blob([blob, ...(batch as BlobPart[])], { type: "application/octet-stream" });
  const url = URL.createObjectURL(blob);
  click(url, options.fileName);
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function click(href: string, fileName: string | undefined): void {
  const link = document.createElement("a");
  link.href = href;
  if (fileName !== undefined) link.download = fileName;
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
}
