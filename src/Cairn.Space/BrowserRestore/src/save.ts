// Hands decrypted bytes to the browser as a download without keeping them in the page's heap: batches are folded
// into a Blob as they come, and the browser keeps a large Blob on disk, not in the tab's memory.
const batchBytes = 16 << 20;

export async function saveStream(fileName: string, chunks: AsyncIterable<Uint8Array>, signal: AbortSignal): Promise<void> {
  let blob = new Blob([]);
  let batch: Uint8Array[] = [];
  let batched = 0;
  for await (const chunk of chunks) {
    signal.throwIfAborted();
    batch.push(chunk);
    batched += chunk.length;
    if (batched >= batchBytes) {
      blob = new Blob([blob, ...(batch as BlobPart[])]);
      batch = [];
      batched = 0;
    }
  }
  signal.throwIfAborted();
  blob = new Blob([blob, ...(batch as BlobPart[])], { type: "application/octet-stream" });
  const url = URL.createObjectURL(blob);
  try {
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    link.hidden = true;
    document.body.append(link);
    link.click();
    link.remove();
  } finally {
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
  }
}
