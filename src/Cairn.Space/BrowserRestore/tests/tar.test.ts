import { test } from "node:test";
import assert from "node:assert/strict";
import { tarEnd, tarHeader, tarPadding } from "../src/tar.js";

const utf8 = new TextEncoder();

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

test("a tar header has the ustar magic, an octal size and a checksum over the block", () => {
  const [h] = tarHeader({ path: utf8.encode("docs/a.txt"), type: "file", size: 5, mode: 0o644, mtimeSeconds: 1_700_000_000 });
  assert.equal(h!.length, 512);
  assert.equal(new TextDecoder().decode(h!.subarray(257, 262)), "ustar");
  assert.equal(new TextDecoder().decode(h!.subarray(124, 135)), "00000000005");
  let sum = 0;
  for (let i = 0; i < 512; i++) sum += i >= 148 && i < 156 ? 32 : h![i]!;
  assert.equal(parseInt(new TextDecoder().decode(h!.subarray(148, 154)), 8), sum);
});

test("a long or not-UTF-8 name goes into a GNU long-name record, bytes kept", () => {
  const name = Uint8Array.from([...utf8.encode("x".repeat(150)), 0xe9]);
  const records = tarHeader({ path: name, type: "file", size: 0, mode: 0o644, mtimeSeconds: 0 });
  assert.equal(String.fromCharCode(records[0]![156]!), "L");
  assert.deepEqual(records[1]!.subarray(0, name.length), name);
  const all = concat([...records, tarPadding(0), tarEnd()]);
  assert.equal(all.length % 512, 0);
});
