// The service worker that turns a decrypted stream from the page into a real download: the browser writes it to
// disk as it comes, so a file of many gigabytes never sits whole in memory. It only answers /browse/download/{id}
// for streams the page handed it a moment before; it makes no request of its own.
declare const self: ServiceWorkerGlobalScope;

interface Pending {
  readonly stream: ReadableStream<Uint8Array>;
  readonly name: string;
  readonly size: number | undefined;
}

const pending = new Map<string, Pending>();
const prefix = new URL("download/", self.registration.scope).pathname;

self.addEventListener("install", () => void self.skipWaiting());
self.addEventListener("activate", event => event.waitUntil(self.clients.claim()));

self.addEventListener("message", (event: ExtendableMessageEvent) => {
  const { id, stream, name, size } = event.data as { id: string; stream: ReadableStream<Uint8Array>; name: string; size?: number };
  if (typeof id !== "string" || !(stream instanceof ReadableStream) || typeof name !== "string") return;
  pending.set(id, { stream, name, size });
  event.ports[0]?.postMessage({ ready: id });
});

self.addEventListener("fetch", (event: FetchEvent) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin || !url.pathname.startsWith(prefix)) return;
  const id = url.pathname.substring(prefix.length);
  const item = pending.get(id);
  pending.delete(id); // one download per stream
  if (!item) {
    event.respondWith(new Response("This download is no longer available: start it again from the page.", { status: 404 }));
    return;
  }
  const headers = new Headers({
    "Content-Type": "application/octet-stream",
    "Content-Disposition": `attachment; filename*=UTF-8''${encodeURIComponent(item.name)}`,
    "X-Content-Type-Options": "nosniff",
  });
  if (item.size !== undefined) headers.set("Content-Length", String(item.size));
  event.respondWith(new Response(item.stream, { headers }));
});
