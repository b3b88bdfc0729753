// A vitest helper: each test fails if it leaves references it made unput.
// Other tests' references never count against it (each test has its own mark).
import { beforeEach, afterEach } from 'vitest';
import { refcheck, type RefcheckMark } from './index.js';

/** Call at the top of a test file (or a describe block). Needs checking on. */
export function failOnLeaks(): void {
  let mark: RefcheckMark;
  beforeEach(() => {
    mark = refcheck.mark();
  });
  afterEach(() => {
    refcheck.assertNoLeaks(mark);
  });
}
