// scrypt off the page's thread, so the page stays responsive. The password arrives by postMessage from the page
// (same origin, same device) and the 64 derived bytes go back transferred; nothing here touches the network.
import { deriveKeyBytes } from "./crypto.js";

interface DeriveRequest {
  readonly password: string;
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Uint8Array;
}

self.onmessage = (event: MessageEvent<DeriveRequest>) => {
  try {
    const { password, N, r, p, salt } = event.data;
    const key = deriveKeyBytes(password, { N, r, p, salt });
    (self as unknown as Worker).postMessage({ key }, [key.buffer]);
  } catch (error) {
    (self as unknown as Worker).postMessage({ error: error instanceof Error ? error.message : String(error) });
  }
};
