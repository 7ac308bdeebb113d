// A restic repository read through Space's read-only route, decrypted here: nothing secret is ever sent.
import { decrypt, importKeyBytes, MacMismatchError, openMasterKey, parseKeyFile, sha256, type CipherKey, type KdfParameters } from "./crypto.js";
import { FormatError, toHex } from "./encoding.js";
import { addIndex, checkId, decodeUnpacked, decompressLimited, maxBlobBytes, parseSnapshot, parseTree, type BlobLocation, type SnapshotInfo, type TreeNode } from "./format.js";

/** Where the encrypted files come from: Space's route in the page, a folder in the tests. */
export interface RepositorySource {
  list(kind: "keys" | "index" | "snapshots"): Promise<string[]>;
  read(path: string, range?: { offset: number; length: number }, signal?: AbortSignal): Promise<Uint8Array>;
}

/** Reads `/…/config`, `/…/{kind}/` (JSON [{name,size}]) and `/…/{kind}/{name}` with Range, same origin, cookie only. */
export class HttpSource implements RepositorySource {
  constructor(private readonly base: string) {}

  async list(kind: string): Promise<string[]> {
    const response = await fetch(`${this.base}/${kind}/`, { credentials: "same-origin", headers: { Accept: "application/vnd.x.restic.rest.v2" } });
    if (!response.ok) throw new Error(`listing ${kind} failed: HTTP ${response.status}`);
    const items = (await response.json()) as { name: string }[];
    return items.map(i => checkId(i.name, `${kind} name`));
  }

  async read(path: string, range?: { offset: number; length: number }, signal?: AbortSignal): Promise<Uint8Array> {
    const headers: Record<string, string> = {};
    if (range) headers["Range"] = `bytes=${range.offset}-${range.offset + range.length - 1}`;
    const response = await fetch(`${this.base}/${path}`, { credentials: "same-origin", headers, signal: signal ?? null });
    if (!response.ok) throw new Error(`reading ${path} failed: HTTP ${response.status}`);
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (range && bytes.length !== range.length) throw new FormatError(`${path}: ${bytes.length} bytes where ${range.length} were asked for`);
    return bytes;
  }
}

/** Thrown when no key file opens with the password. */
export class WrongPasswordError extends Error {
  override name = "WrongPasswordError";
}

export type DeriveKey = (password: string, params: KdfParameters) => Promise<Uint8Array>;

export class Repository {
  private readonly index = new Map<string, BlobLocation>();

  private constructor(private readonly source: RepositorySource, private readonly key: CipherKey, readonly version: number) {}

  /** Tries every key file with the password (the MAC check tells a wrong one), then reads the config and every index. */
  static async open(source: RepositorySource, password: string, derive: DeriveKey): Promise<Repository> {
    const names = await source.list("keys");
    let master: CipherKey | undefined;
    for (const name of names) {
      const file = parseKeyFile(await source.read(`keys/${name}`));
      const userKey = await importKeyBytes(await derive(password, file.params));
      try {
        master = await openMasterKey(userKey, file);
        break;
      } catch (error) {
        if (!(error instanceof MacMismatchError)) throw error;
      }
    }
    if (!master) throw new WrongPasswordError("The password does not open this repository.");
    const config = decodePlainJson(await decrypt(master, await source.read("config"))) as { version?: unknown };
    if (config.version !== 1 && config.version !== 2) throw new FormatError("unsupported repository version");
    const repository = new Repository(source, master, config.version);
    await repository.loadIndex();
    return repository;
  }

  private async loadIndex(): Promise<void> {
    for (const name of await this.source.list("index")) {
      addIndex(await this.readUnpacked(`index/${name}`, name), this.index);
    }
  }

  /** A stored file is named by its SHA-256: checked before it is trusted. */
  private async readUnpacked(path: string, name: string): Promise<unknown> {
    const sealed = await this.source.read(path);
    if (toHex(await sha256(sealed)) !== name) throw new FormatError(`${path} does not match its name`);
    const plain = await decrypt(this.key, sealed);
    return this.version === 1 ? decodePlainJson(plain) : decodeUnpacked(plain);
  }

  async snapshotIds(): Promise<string[]> {
    return this.source.list("snapshots");
  }

  async snapshot(id: string): Promise<SnapshotInfo> {
    return parseSnapshot(await this.readUnpacked(`snapshots/${checkId(id, "snapshot ID")}`, id));
  }

  async tree(id: string, signal?: AbortSignal): Promise<TreeNode[]> {
    return parseTree(await this.blob(id, signal));
  }

  /** One blob: read by range from its pack, MAC-checked, decrypted, decompressed, and its SHA-256 compared to its ID. */
  async blob(id: string, signal?: AbortSignal): Promise<Uint8Array> {
    const at = this.index.get(id);
    if (!at) throw new FormatError(`blob ${id} is not in the index`);
    const sealed = await this.source.read(`data/${at.pack}`, { offset: at.offset, length: at.length }, signal);
    let plain = await decrypt(this.key, sealed);
    if (at.uncompressedLength !== undefined) {
      plain = decompressLimited(plain, maxBlobBytes);
      if (plain.length !== at.uncompressedLength) throw new FormatError(`blob ${id} decompressed to the wrong length`);
    }
    if (toHex(await sha256(plain)) !== id) throw new FormatError(`blob ${id} does not match its ID`);
    return plain;
  }

  /** The bytes of a file's content blobs in order, a few read ahead. */
  async *fileChunks(node: TreeNode, signal?: AbortSignal, readAhead = 4): AsyncGenerator<Uint8Array> {
    const pending: Promise<Uint8Array>[] = [];
    let next = 0;
    while (next < node.content.length || pending.length > 0) {
      while (next < node.content.length && pending.length < readAhead) {
        const p = this.blob(node.content[next++]!, signal);
        p.catch(() => undefined); // awaited below, in order
        pending.push(p);
      }
      yield await pending.shift()!;
    }
  }
}

function decodePlainJson(plain: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plain));
  } catch {
    throw new FormatError("repository file is not JSON");
  }
}
