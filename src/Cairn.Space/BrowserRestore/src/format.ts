// Parsers of the repository's decrypted structures (docs/format.md). Every input is a tenant's bytes: hostile.
import { decompress } from "fzstd";
import { FormatError, fromHex, toHex, unquoteGoName } from "./encoding.js";

export const maxBlobBytes = 64 << 20; // restic's chunks are at most 8 MiB; anything far larger is refused

/** An index, snapshot or config plaintext: `2` + zstd, or plain JSON (docs/format.md, "Unpacked files"). */
export function decodeUnpacked(plain: Uint8Array): unknown {
  let text = plain;
  if (plain.length > 0 && plain[0] === 2) {
    text = decompressLimited(plain.subarray(1), maxBlobBytes * 4);
  } else if (plain.length === 0 || (plain[0] !== 0x7b && plain[0] !== 0x5b)) {
    throw new FormatError("unknown encoding of a repository file");
  }
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(text));
  } catch {
    throw new FormatError("repository file is not JSON");
  }
}

export function decompressLimited(frame: Uint8Array, limit: number): Uint8Array {
  let out: Uint8Array;
  try {
    out = decompress(frame);
  } catch {
    throw new FormatError("zstd frame does not decompress");
  }
  if (out.length > limit) throw new FormatError("decompressed blob larger than allowed");
  return out;
}

export type BlobType = "data" | "tree";

export interface PackEntry {
  readonly type: BlobType;
  readonly offset: number;
  readonly length: number;
  readonly uncompressedLength: number | undefined;
  readonly id: string;
}

/** The decrypted header of a pack (docs/format.md, "Packs"): entries of 37 bytes, or 41 for compressed blobs. */
export function parsePackHeader(header: Uint8Array, packSize: number): PackEntry[] {
  const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
  const entries: PackEntry[] = [];
  let offset = 0;
  let at = 0;
  while (at < header.length) {
    const kind = header[at]!;
    if (kind > 3) throw new FormatError(`unknown blob type ${kind} in a pack header`);
    const compressed = kind >= 2;
    const size = compressed ? 41 : 37;
    if (at + size > header.length) throw new FormatError("pack header ends inside an entry");
    const length = view.getUint32(at + 1, true);
    const uncompressedLength = compressed ? view.getUint32(at + 5, true) : undefined;
    const id = toHex(header.subarray(at + (compressed ? 9 : 5), at + size));
    if (length < 32 || offset + length > packSize) throw new FormatError("pack header names bytes outside the pack");
    entries.push({ type: kind % 2 === 0 ? "data" : "tree", offset, length, uncompressedLength, id });
    offset += length;
    at += size;
  }
  return entries;
}

export interface BlobLocation {
  readonly pack: string;
  readonly offset: number;
  readonly length: number;
  readonly uncompressedLength: number | undefined;
}

const idPattern = /^[0-9a-f]{64}$/;

export function checkId(value: unknown, what: string): string {
  if (typeof value !== "string" || !idPattern.test(value)) throw new FormatError(`${what} is not an ID`);
  return value;
}

/** Adds an index file's blobs (docs/format.md, "Index") to a map of blob ID to location; the first location wins. */
export function addIndex(json: unknown, into: Map<string, BlobLocation>): void {
  const packs = (json as { packs?: unknown })?.packs;
  if (!Array.isArray(packs)) throw new FormatError("index file without packs");
  for (const pack of packs) {
    const packId = checkId(pack?.id, "pack ID");
    if (!Array.isArray(pack.blobs)) throw new FormatError("index pack without blobs");
    for (const blob of pack.blobs) {
      const id = checkId(blob?.id, "blob ID");
      const { offset, length } = blob;
      const uncompressed = blob.uncompressed_length;
      if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 32 || length > maxBlobBytes
        || (uncompressed !== undefined && (!Number.isSafeInteger(uncompressed) || uncompressed < 0 || uncompressed > maxBlobBytes))) {
        throw new FormatError("index blob with a bad offset or length");
      }
      if (!into.has(id)) into.set(id, { pack: packId, offset, length, uncompressedLength: uncompressed });
    }
  }
}

export type NodeType = "file" | "dir" | "symlink" | "dev" | "chardev" | "fifo" | "socket";

export interface TreeNode {
  readonly name: Uint8Array; // the name's bytes (not always UTF-8)
  readonly type: NodeType;
  readonly mode: number;
  readonly mtime: string;
  readonly size: number;
  readonly linkTarget: string | undefined;
  readonly content: readonly string[];
  readonly subtree: string | undefined;
}

const nodeTypes = new Set(["file", "dir", "symlink", "dev", "chardev", "fifo", "socket"]);

/** A tree blob (docs/format.md, "Trees"); names are unquoted to their bytes and must be one path component. */
export function parseTree(plain: Uint8Array): TreeNode[] {
  let json: { nodes?: unknown };
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(plain));
  } catch {
    throw new FormatError("tree blob is not JSON");
  }
  if (json.nodes === null) return [];
  if (!Array.isArray(json.nodes)) throw new FormatError("tree blob without nodes");
  return json.nodes.map((node: Record<string, unknown>) => {
    if (typeof node?.["name"] !== "string" || !nodeTypes.has(node["type"] as string)) throw new FormatError("tree node without name or type");
    const name = unquoteGoName(node["name"]);
    if (name.length === 0 || name.includes(0x2f) || name.includes(0) || isDots(name)) throw new FormatError("tree node name is not one path component");
    const type = node["type"] as NodeType;
    const content = node["content"] ?? [];
    if (!Array.isArray(content)) throw new FormatError("tree node content is not a list");
    const size = type === "file" ? Number(node["size"] ?? 0) : 0;
    if (!Number.isSafeInteger(size) || size < 0) throw new FormatError("tree node size is bad");
    return {
      name, type, size,
      mode: Number(node["mode"] ?? 0),
      mtime: typeof node["mtime"] === "string" ? node["mtime"] : "",
      linkTarget: typeof node["linktarget"] === "string" ? node["linktarget"] : undefined,
      content: content.map(c => checkId(c, "content blob ID")),
      subtree: type === "dir" ? checkId(node["subtree"], "subtree ID") : undefined,
    };
  });
}

function isDots(name: Uint8Array): boolean {
  return (name.length === 1 && name[0] === 0x2e) || (name.length === 2 && name[0] === 0x2e && name[1] === 0x2e);
}

export interface SnapshotInfo {
  readonly tree: string;
  readonly time: string;
  readonly paths: readonly string[];
  readonly hostname: string;
  readonly tags: readonly string[];
}

export function parseSnapshot(json: unknown): SnapshotInfo {
  const s = json as Record<string, unknown>;
  return {
    tree: checkId(s?.["tree"], "snapshot tree"),
    time: typeof s["time"] === "string" ? s["time"] : "",
    paths: Array.isArray(s["paths"]) ? s["paths"].filter((p): p is string => typeof p === "string") : [],
    hostname: typeof s["hostname"] === "string" ? s["hostname"] : "",
    tags: Array.isArray(s["tags"]) ? s["tags"].filter((t): t is string => typeof t === "string") : [],
  };
}

export { fromHex };
