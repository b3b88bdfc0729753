// Running a corpus program: loading it, and the RefCheckError it throws.
import { RefCheckError } from '../../src/index.js';

export async function load(name: string): Promise<{ run: () => unknown }> {
  return import(`./corpus/${name}.ts`);
}

/** The RefCheckError fn throws (anything else thrown, or nothing, fails). */
export function thrown(fn: () => unknown): RefCheckError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RefCheckError) return e;
    throw e;
  }
  throw new Error('expected a RefCheckError');
}
