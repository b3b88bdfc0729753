// Types of the plain functions of pure-ts.mjs that test/model.ts shares.
export function readNumber(s: string, p: number, e: number): { value: number; end: number };
export function parseCpus(text: string): Int16Array | null;
export function listText(cpus: ArrayLike<number>): string;
export function maskText(cpus: ArrayLike<number>): string | null;
