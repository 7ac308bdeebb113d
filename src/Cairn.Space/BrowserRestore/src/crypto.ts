// The repository's cryptography (docs/format.md, "Encryption" and "Keys"): AES-256-CTR and AES-128 through Web Crypto
// with non-extractable keys, Poly1305 from @noble/ciphers, scrypt from @noble/hashes (run in a Web Worker by the page).
import { poly1305 } from "@noble/ciphers/_poly1305.js";
import { scrypt } from "@noble/hashes/scrypt.js";
import { fromBase64, FormatError } from "./encoding.js";

const subtle = globalThis.crypto.subtle;
const overhead = 32; // IV (16) + MAC (16)

/** The MAC did not match: for a key file, the password is wrong; for anything else, the bytes are damaged. */
export class MacMismatchError extends Error {
  override name = "MacMismatchError";
}

/** A key as used for every encrypted piece: the AES-256 key, and the Poly1305-AES MAC key (k, r). */
export interface CipherKey {
  readonly encrypt: CryptoKey; // AES-CTR, non-extractable
  readonly macK: CryptoKey; // AES-CBC over one block with a zero IV is AES-128_k(nonce), non-extractable
  readonly macR: Uint8Array; // Poly1305 needs r as bytes; it never leaves this object
}

export interface KdfParameters {
  readonly N: number;
  readonly r: number;
  readonly p: number;
  readonly salt: Uint8Array;
}

/** Limits on a key file's parameters, so a hostile key file cannot make the page allocate gigabytes. */
export function checkKdfParameters(params: KdfParameters): void {
  const { N, r, p } = params;
  const ok = Number.isInteger(N) && Number.isInteger(r) && Number.isInteger(p) && N > 1 && (N & (N - 1)) === 0
    && N <= 1 << 20 && r >= 1 && r <= 32 && p >= 1 && p <= 64 && 128 * N * r <= 1 << 30;
  if (!ok) throw new FormatError(`key file asks for scrypt parameters this page refuses (N=${N}, r=${r}, p=${p})`);
}

/** scrypt to 64 bytes: AES key (32), MAC k (16), MAC r (16). Slow by design: the page calls it in a worker. */
export function deriveKeyBytes(password: string, params: KdfParameters): Uint8Array {
  checkKdfParameters(params);
  return scrypt(new TextEncoder().encode(password), params.salt, {
    N: params.N, r: params.r, p: params.p, dkLen: 64, maxmem: (1 << 30) + (1 << 20),
  });
}

/** Imports 64 key bytes (encrypt 32 || k 16 || r 16) and wipes them. */
export async function importKeyBytes(bytes: Uint8Array): Promise<CipherKey> {
  if (bytes.length !== 64) throw new FormatError("a key is 64 bytes");
  try {
    return await importKey(bytes.slice(0, 32), bytes.slice(32, 48), bytes.slice(48, 64));
  } finally {
    bytes.fill(0);
  }
}

async function importKey(encrypt: Uint8Array, k: Uint8Array, r: Uint8Array): Promise<CipherKey> {
  try {
    return {
      encrypt: await subtle.importKey("raw", encrypt as BufferSource, { name: "AES-CTR" }, false, ["decrypt"]),
      macK: await subtle.importKey("raw", k as BufferSource, { name: "AES-CBC" }, false, ["encrypt"]),
      macR: r.slice(),
    };
  } finally {
    encrypt.fill(0);
    k.fill(0);
    r.fill(0);
  }
}

/** Poly1305-AES of a message: Poly1305 with r and s = AES-128_k(nonce). */
export async function poly1305Aes(macK: CryptoKey, macR: Uint8Array, nonce: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const block = new Uint8Array(await subtle.encrypt({ name: "AES-CBC", iv: new Uint8Array(16) }, macK, nonce as BufferSource));
  const key = new Uint8Array(32);
  key.set(macR, 0);
  key.set(block.subarray(0, 16), 16);
  try {
    return poly1305(message, key);
  } finally {
    key.fill(0);
    block.fill(0);
  }
}

/** Raw Poly1305-AES key material, for the known-answer tests only. */
export async function poly1305AesRaw(k: Uint8Array, r: Uint8Array, nonce: Uint8Array, message: Uint8Array): Promise<Uint8Array> {
  const macK = await subtle.importKey("raw", k as BufferSource, { name: "AES-CBC" }, false, ["encrypt"]);
  return poly1305Aes(macK, r, nonce, message);
}

function equalInConstantTime(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

/** IV || ciphertext || MAC: checks the MAC first and decrypts only when it matches. */
export async function decrypt(key: CipherKey, sealed: Uint8Array): Promise<Uint8Array> {
  if (sealed.length < overhead) throw new FormatError("encrypted piece shorter than its IV and MAC");
  const iv = sealed.subarray(0, 16);
  const ciphertext = sealed.subarray(16, sealed.length - 16);
  const mac = sealed.subarray(sealed.length - 16);
  const expected = await poly1305Aes(key.macK, key.macR, iv, ciphertext);
  if (!equalInConstantTime(expected, mac)) throw new MacMismatchError("MAC mismatch");
  if (ciphertext.length === 0) return new Uint8Array(0);
  const plain = await subtle.decrypt({ name: "AES-CTR", counter: iv.slice() as BufferSource, length: 128 }, key.encrypt,
    ciphertext as BufferSource);
  return new Uint8Array(plain);
}

export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await subtle.digest("SHA-256", data as BufferSource));
}

/** A key file's JSON (docs/format.md, "Keys"), checked before anything is derived from it. */
export interface KeyFile {
  readonly params: KdfParameters;
  readonly data: Uint8Array;
}

export function parseKeyFile(bytes: Uint8Array): KeyFile {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new FormatError("key file is not JSON");
  }
  const file = json as Record<string, unknown>;
  if (file["kdf"] !== "scrypt" || typeof file["salt"] !== "string" || typeof file["data"] !== "string") {
    throw new FormatError("key file is not a restic scrypt key");
  }
  const params = { N: Number(file["N"]), r: Number(file["r"]), p: Number(file["p"]), salt: fromBase64(file["salt"]) };
  checkKdfParameters(params);
  return { params, data: fromBase64(file["data"]) };
}

/** Opens the master key a key file wraps, with the key derived from the password; MacMismatchError for a wrong one. */
export async function openMasterKey(userKey: CipherKey, file: KeyFile): Promise<CipherKey> {
  const plain = await decrypt(userKey, file.data);
  try {
    const master = JSON.parse(new TextDecoder().decode(plain)) as { mac?: { k?: string; r?: string }; encrypt?: string };
    if (typeof master.encrypt !== "string" || typeof master.mac?.k !== "string" || typeof master.mac?.r !== "string") {
      throw new FormatError("master key lacks a part");
    }
    const encrypt = fromBase64(master.encrypt);
    const k = fromBase64(master.mac.k);
    const r = fromBase64(master.mac.r);
    if (encrypt.length !== 32 || k.length !== 16 || r.length !== 16) throw new FormatError("master key of the wrong size");
    return await importKey(encrypt, k, r);
  } finally {
    plain.fill(0);
  }
}
