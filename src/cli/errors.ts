// The two ways a cpumap run fails, by exit status: 2 for a command line the
// program does not understand, 1 for input it understood but cannot accept.

/** A bad command line: exit 2. */
export class UsageError extends Error {}

/** Input that cannot be read (a CpuMapError is one too): exit 1. */
export class InputError extends Error {}

export const EXIT_BAD_INPUT = 1;
export const EXIT_USAGE = 2;
