// A tar stream built in the browser: ustar headers, GNU long names ('L', 'K') so any name's bytes survive, and
// GNU base-256 sizes past 8 GiB. Read by GNU tar, bsdtar and Python's tarfile.

export interface TarEntry {
  readonly path: Uint8Array; // bytes, '/'-separated, no leading '/'
  readonly type: "file" | "dir" | "symlink";
  readonly size: number;
  readonly mode: number;
  readonly mtimeSeconds: number;
  readonly linkTarget?: Uint8Array;
}

const block = 512;
const encoder = new TextEncoder();

function octal(target: Uint8Array, offset: number, width: number, value: number): void {
  const text = Math.max(0, Math.floor(value)).toString(8).padStart(width - 1, "0");
  if (text.length > width - 1) throw new RangeError("value too large for a tar field");
  target.set(encoder.encode(text), offset);
  target[offset + width - 1] = 0;
}

function sizeField(target: Uint8Array, offset: number, value: number): void {
  if (value < 8 ** 11) {
    octal(target, offset, 12, value);
    return;
  }
  // base-256: high bit set, big-endian value in the rest of the 12 bytes
  let v = BigInt(value);
  for (let i = offset + 11; i > offset; i--) {
    target[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  target[offset] = 0x80;
}

function header(name: Uint8Array, typeFlag: string, size: number, mode: number, mtime: number, link: Uint8Array): Uint8Array {
  const h = new Uint8Array(block);
  h.set(name.subarray(0, 100), 0);
  octal(h, 100, 8, mode & 0o7777);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  sizeField(h, 124, size);
  octal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156); // checksum counted as spaces
  h[156] = typeFlag.charCodeAt(0);
  h.set(link.subarray(0, 100), 157);
  h.set(encoder.encode("ustar"), 257); // "ustar\0" + "00"
  h[262] = 0;
  h.set(encoder.encode("00"), 263);
  let sum = 0;
  for (const b of h) sum += b;
  const text = sum.toString(8).padStart(6, "0");
  h.set(encoder.encode(text), 148);
  h[154] = 0;
  h[155] = 0x20;
  return h;
}

function padding(size: number): Uint8Array {
  const rest = size % block;
  return new Uint8Array(rest === 0 ? 0 : block - rest);
}

function longRecord(flag: "L" | "K", value: Uint8Array): Uint8Array[] {
  const data = new Uint8Array(value.length + 1);
  data.set(value);
  return [header(encoder.encode("././@LongLink"), flag, data.length, 0o644, 0, new Uint8Array(0)), data, padding(data.length)];
}

/** The records that open an entry (the content follows, then {@link tarPadding}). */
export function tarHeader(entry: TarEntry): Uint8Array[] {
  let path = entry.path;
  if (entry.type === "dir" && path[path.length - 1] !== 0x2f) {
    path = new Uint8Array([...path, 0x2f]);
  }
  const link = entry.linkTarget ?? new Uint8Array(0);
  const records: Uint8Array[] = [];
  if (path.length > 100) records.push(...longRecord("L", path));
  if (link.length > 100) records.push(...longRecord("K", link));
  const flag = entry.type === "dir" ? "5" : entry.type === "symlink" ? "2" : "0";
  records.push(header(path, flag, entry.type === "file" ? entry.size : 0, entry.mode, entry.mtimeSeconds, link));
  return records;
}

export function tarPadding(size: number): Uint8Array {
  return padding(size);
}

/** Two zero blocks end the archive. */
export function tarEnd(): Uint8Array {
  return new Uint8Array(2 * block);
}
