// taskset-style hex cpu masks, the kernel's cpumask text: hex digits, bit n
// standing for cpu n, optionally written as comma-separated 32-bit words,
// most significant first ("ff,00000001" is cpus 0 and 32-39). A leading 0x
// is allowed; without commas the whole string is one number ("0x1ff").
import { InputError } from './errors.js';

/** The largest cpu number a map can hold. */
const MAX_CPU = 32766;

/** The cpus whose bits are set, ascending. */
export function cpusOfMask(text: string): number[] {
  const t = text.trim().replace(/^0x/i, '');
  if (t === '') throw new InputError(`not a hex cpu mask: ${JSON.stringify(text)} (expected hex digits, e.g. ff or ff,00000001)`);
  const words = t.split(',');
  const cpus: number[] = [];
  // the least significant word (last) holds cpus 0..31
  let base = 0;
  for (let w = words.length - 1; w >= 0; w--) {
    const word = words[w]!;
    if (!/^[0-9a-fA-F]+$/.test(word)) {
      throw new InputError(`not a hex cpu mask: ${JSON.stringify(text)} (word ${words.length - w} from the right, ${JSON.stringify(word)}, is not hex digits)`);
    }
    if (words.length > 1 && word.length > 8) {
      throw new InputError(`not a hex cpu mask: ${JSON.stringify(text)} (comma-separated words have at most 8 hex digits; ${JSON.stringify(word)} has ${word.length})`);
    }
    // digit by digit from the right: any length without commas
    for (let d = word.length - 1, bit = base; d >= 0; d--, bit += 4) {
      const nibble = parseInt(word[d]!, 16);
      for (let b = 0; b < 4; b++) {
        if (!(nibble & (1 << b))) continue;
        if (bit + b > MAX_CPU) throw new InputError(`cpu mask ${JSON.stringify(text)} sets bit ${bit + b}, above the largest cpu ${MAX_CPU}`);
        cpus.push(bit + b);
      }
    }
    base += words.length > 1 ? 32 : word.length * 4;
  }
  return cpus.sort((a, b) => a - b);
}
