import { test } from "node:test";
import assert from "node:assert/strict";
import { decrypt, deriveKeyBytes, importKeyBytes, openMasterKey, parseKeyFile } from "../src/crypto.js";
import { displayName, fromBase64, FormatError, unquoteGoName } from "../src/encoding.js";
import { decompressLimited, parsePackHeader, parseTree } from "../src/format.js";
import { known } from "./vectors.js";

async function masterKey() {
  const repo = known.repository;
  const keyName = Object.keys(repo.files).find(p => p.startsWith("keys/"))!;
  const file = parseKeyFile(fromBase64(repo.files[keyName]!));
  return openMasterKey(await importKeyBytes(deriveKeyBytes(repo.password, file.params)), file);
}

function header(pack: Uint8Array): Uint8Array {
  const length = new DataView(pack.buffer, pack.byteOffset).getUint32(pack.length - 4, true);
  return pack.subarray(pack.length - 4 - length, pack.length - 4);
}

test("a pack header decrypts to the blobs restic lists", async () => {
  const repo = known.repository;
  const pack = fromBase64(repo.files[repo.pack]!);
  const entries = parsePackHeader(await decrypt(await masterKey(), header(pack)), pack.length);
  assert.deepEqual(entries.map(e => ({ type: e.type, offset: e.offset, length: e.length, id: e.id, ...(e.uncompressedLength === undefined ? {} : { uncompressed_length: e.uncompressedLength }) })),
    repo.packHeader);
});

test("a tree blob decrypts and decompresses to the JSON restic shows", async () => {
  const repo = known.repository;
  const pack = fromBase64(repo.files[repo.pack]!);
  const entry = repo.packHeader.find(e => e.id === repo.tree.id)!;
  let plain = await decrypt(await masterKey(), pack.subarray(entry.offset, entry.offset + entry.length));
  if (entry.uncompressed_length !== undefined) plain = decompressLimited(plain, 1 << 20);
  assert.equal(new TextDecoder().decode(plain), repo.tree.plaintext);
  assert.ok(parseTree(plain).length > 0);
});

test("a pack header naming bytes past the pack is refused", () => {
  const entry = new Uint8Array(37);
  entry[0] = 0;
  new DataView(entry.buffer).setUint32(1, 1000, true);
  assert.throws(() => parsePackHeader(entry, 500), FormatError);
  assert.throws(() => parsePackHeader(entry.subarray(0, 30), 5000), FormatError);
});

test("Go-quoted names unquote to their bytes, not-UTF-8 bytes included", () => {
  assert.deepEqual(unquoteGoName("caf\\xe9.txt"), Uint8Array.from([0x63, 0x61, 0x66, 0xe9, 0x2e, 0x74, 0x78, 0x74]));
  assert.equal(displayName(unquoteGoName("a\\\"b\\\\c\\n")), "a\"b\\c\n");
  assert.equal(displayName(unquoteGoName("Zoë ☃")), "Zoë ☃");
  assert.equal(displayName(unquoteGoName("\\u00e9")), "é");
  assert.throws(() => unquoteGoName("bad\\q"), FormatError);
});

test("tree names that are not one path component are refused", () => {
  for (const name of ["..", ".", "a/b", ""]) {
    const tree = new TextEncoder().encode(JSON.stringify({ nodes: [{ name, type: "file", content: [] }] }));
    assert.throws(() => parseTree(tree), FormatError, name);
  }
});
