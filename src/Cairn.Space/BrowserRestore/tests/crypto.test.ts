import { test } from "node:test";
import assert from "node:assert/strict";
import { decrypt, deriveKeyBytes, importKeyBytes, MacMismatchError, openMasterKey, parseKeyFile, poly1305AesRaw } from "../src/crypto.js";
import { fromBase64, fromHex, toHex } from "../src/encoding.js";
import { known } from "./vectors.js";

const utf8 = new TextEncoder();

test("scrypt derives the RFC 7914 known answers", () => {
  for (const v of known.scrypt) {
    const key = deriveKeyBytes(v.password, { N: v.N, r: v.r, p: v.p, salt: utf8.encode(v.salt) });
    assert.equal(toHex(key), v.key, `N=${v.N} r=${v.r} p=${v.p}`);
  }
});

test("Poly1305-AES computes the MACs of Bernstein's paper", async () => {
  for (const v of known.poly1305Aes) {
    const mac = await poly1305AesRaw(fromHex(v.k), fromHex(v.r), fromHex(v.nonce), fromHex(v.message));
    assert.equal(toHex(mac), v.mac);
  }
});

test("a key file refuses scrypt parameters that would exhaust memory", () => {
  const file = utf8.encode(JSON.stringify({ kdf: "scrypt", N: 1 << 24, r: 8, p: 1, salt: "AAAA", data: "AAAA" }));
  assert.throws(() => parseKeyFile(file), /refuses/);
});

test("the key file opens with the password, and a wrong password fails the MAC check", async () => {
  const repo = known.repository;
  const keyName = Object.keys(repo.files).find(p => p.startsWith("keys/"))!;
  const file = parseKeyFile(fromBase64(repo.files[keyName]!));
  const master = await openMasterKey(await importKeyBytes(deriveKeyBytes(repo.password, file.params)), file);
  const config = JSON.parse(new TextDecoder().decode(await decrypt(master, fromBase64(repo.files["config"]!))));
  assert.equal(config.version, 2);
  await assert.rejects(async () => openMasterKey(await importKeyBytes(deriveKeyBytes("not the password", file.params)), file), MacMismatchError);
});

test("one flipped bit of a sealed piece fails the MAC check before anything is decrypted", async () => {
  const repo = known.repository;
  const keyName = Object.keys(repo.files).find(p => p.startsWith("keys/"))!;
  const file = parseKeyFile(fromBase64(repo.files[keyName]!));
  const master = await openMasterKey(await importKeyBytes(deriveKeyBytes(repo.password, file.params)), file);
  const config = fromBase64(repo.files["config"]!);
  for (const at of [0, 16, config.length - 17, config.length - 1]) {
    const damaged = config.slice();
    damaged[at]! ^= 1;
    await assert.rejects(() => decrypt(master, damaged), MacMismatchError);
  }
});
