// The known answers shared with the C# engine's tests: tests/vectors/known-answers.json, read by both.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, resolve } from "node:path";

export interface KnownAnswers {
  scrypt: { password: string; salt: string; N: number; r: number; p: number; key: string }[];
  poly1305Aes: { message: string; r: string; k: string; nonce: string; mac: string }[];
  repository: {
    password: string;
    files: Record<string, string>; // path in the repository -> base64 bytes
    masterKey: { encrypt: string; mac: { k: string; r: string } };
    pack: string;
    packHeader: { type: string; offset: number; length: number; uncompressed_length?: number; id: string }[];
    tree: { id: string; plaintext: string };
  };
}

function find(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 8; i++) {
    try {
      return readFileSync(resolve(dir, "tests/vectors/known-answers.json"), "utf8");
    } catch {
      dir = resolve(dir, "..");
    }
  }
  throw new Error("tests/vectors/known-answers.json not found above the test bundle");
}

export const known: KnownAnswers = JSON.parse(find());
