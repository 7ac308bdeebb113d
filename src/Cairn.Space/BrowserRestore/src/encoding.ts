// Byte encodings the repository format uses: hex IDs, base64 key material, and Go-quoted names (docs/format.md, "Trees").

export function toHex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}

export function fromHex(hex: string): Uint8Array {
  if (hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) throw new FormatError("not a hex string");
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substring(2 * i, 2 * i + 2), 16);
  return out;
}

export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/** A repository file or blob that does not have the shape the format says: hostile or damaged input. */
export class FormatError extends Error {
  override name = "FormatError";
}

const utf8 = new TextEncoder();

/**
 * The bytes of a name stored Go-quoted without its quotes: `\xNN` keeps bytes that are not UTF-8, `\"`, `\\`,
 * `\n` and friends, `\uNNNN` and `\UNNNNNNNN` other characters. Anything else is taken as UTF-8 text.
 */
export function unquoteGoName(quoted: string): Uint8Array {
  if (!quoted.includes("\\")) return utf8.encode(quoted);
  const parts: number[] = [];
  const simple: Record<string, number> = { a: 7, b: 8, f: 12, n: 10, r: 13, t: 9, v: 11, "\\": 92, "'": 39, '"': 34 };
  for (let i = 0; i < quoted.length; i++) {
    const c = quoted[i]!;
    if (c !== "\\") {
      const code = quoted.codePointAt(i)!;
      const text = String.fromCodePoint(code);
      if (code > 0xffff) i++;
      parts.push(...utf8.encode(text));
      continue;
    }
    const e = quoted[++i];
    if (e === undefined) throw new FormatError("name ends inside an escape");
    if (e in simple) {
      parts.push(simple[e]!);
    } else if (e === "x") {
      parts.push(hexDigits(quoted, i + 1, 2));
      i += 2;
    } else if (e === "u" || e === "U") {
      const width = e === "u" ? 4 : 8;
      const code = hexDigits(quoted, i + 1, width);
      if (code > 0x10ffff) throw new FormatError("escape beyond Unicode");
      parts.push(...utf8.encode(String.fromCodePoint(code)));
      i += width;
    } else if (e >= "0" && e <= "7") {
      const digits = quoted.substring(i, i + 3);
      if (!/^[0-7]{3}$/.test(digits)) throw new FormatError("bad octal escape in a name");
      const value = parseInt(digits, 8);
      if (value > 255) throw new FormatError("bad octal escape in a name");
      parts.push(value);
      i += 2;
    } else {
      throw new FormatError(`unknown escape \\${e} in a name`);
    }
  }
  return Uint8Array.from(parts);
}

function hexDigits(text: string, start: number, width: number): number {
  const digits = text.substring(start, start + width);
  if (digits.length !== width || !/^[0-9a-fA-F]+$/.test(digits)) throw new FormatError("bad hex escape in a name");
  return parseInt(digits, 16);
}

/** A readable form of name bytes: valid UTF-8 as text, each other byte as U+FFFD. */
export function displayName(bytes: Uint8Array): string {
  return new TextDecoder("utf-8", { fatal: false }).decode(bytes);
}
