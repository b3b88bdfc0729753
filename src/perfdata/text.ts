/**
 * UTF-8 decoding without TextDecoder, so the reader needs neither DOM nor
 * Node typings. Invalid sequences become U+FFFD.
 */
export function decodeUtf8(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  const n = bytes.length;
  while (i < n) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      out += String.fromCharCode(b0);
      i += 1;
      continue;
    }
    let need: number;
    let cp: number;
    let min: number;
    if (b0 >= 0xc2 && b0 <= 0xdf) {
      need = 1;
      cp = b0 & 0x1f;
      min = 0x80;
    } else if (b0 >= 0xe0 && b0 <= 0xef) {
      need = 2;
      cp = b0 & 0x0f;
      min = 0x800;
    } else if (b0 >= 0xf0 && b0 <= 0xf4) {
      need = 3;
      cp = b0 & 0x07;
      min = 0x10000;
    } else {
      out += '\ufffd';
      i += 1;
      continue;
    }
    let j = 1;
    for (; j <= need && i + j < n; j++) {
      const b = bytes[i + j]!;
      if ((b & 0xc0) !== 0x80) break;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (j <= need || cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
      out += '\ufffd';
      i += j; // skip the lead byte and any continuation bytes consumed
      continue;
    }
    out += String.fromCodePoint(cp);
    i += need + 1;
  }
  return out;
}

/** Decodes bytes up to (not including) the first NUL. */
export function decodeCString(bytes: Uint8Array): string {
  const nul = bytes.indexOf(0);
  return decodeUtf8(nul === -1 ? bytes : bytes.subarray(0, nul));
}
