// Hex text and bytes, for events and payloads on the command line.
import { InputError } from './errors.js';

export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Hex text to bytes: white space, ':' and a leading 0x are allowed. */
export function fromHex(text: string): Uint8Array {
  const t = text.replace(/^\s*0x/i, '').replace(/[\s:]/g, '');
  if (t.length === 0) throw new InputError('decode: no hex digits given');
  const bad = /[^0-9a-fA-F]/.exec(t);
  if (bad) throw new InputError(`decode: '${bad[0]}' is not a hex digit`);
  if (t.length % 2 !== 0) throw new InputError(`decode: odd number of hex digits (${t.length})`);
  const out = new Uint8Array(t.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(t.slice(2 * i, 2 * i + 2), 16);
  return out;
}
