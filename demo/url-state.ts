// The page's state in its address, so a link reopens it as it was: the view
// is the hash's path (#playground, as before), the rest its parameters:
//   #checker?a=0-7,16&b=4-11&strict=1&ex=stat-mask&prog=missed-put&mode=throw&code=<deflated>
// The checker's program (and a list longer than LONG_TEXT) is deflated
// (CompressionStream 'deflate-raw') and written in base64url.

export const VIEWS = ['playground', 'perfdata', 'checker'] as const;
export type View = (typeof VIEWS)[number];

export interface DemoState {
  view: View;
  a?: string;
  b?: string;
  strict?: boolean;
  /** The perf.data example open in the inspector. */
  example?: string;
  /** The checker's program, its text when edited, and the on-error mode. */
  program?: string;
  code?: string;
  mode?: 'report' | 'throw';
}

/** Lists longer than this are deflated in the address. */
const LONG_TEXT = 300;

function base64url(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text: string): Uint8Array {
  const s = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

async function pipe(bytes: Uint8Array, stream: CompressionStream | DecompressionStream): Promise<Uint8Array> {
  const out = new Response(new Blob([bytes as BlobPart]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

export async function deflate(text: string): Promise<string> {
  return base64url(await pipe(new TextEncoder().encode(text), new CompressionStream('deflate-raw')));
}

export async function inflate(text: string): Promise<string> {
  return new TextDecoder().decode(await pipe(fromBase64url(text), new DecompressionStream('deflate-raw')));
}

/** A parameter value: only what a fragment cannot hold is escaped (',' and '-' stay readable). */
function escape(v: string): string {
  return encodeURIComponent(v).replace(/%2C/gi, ',');
}

export async function toHash(s: DemoState): Promise<string> {
  const parts: string[] = [];
  const text = async (key: string, v: string | undefined): Promise<void> => {
    if (v === undefined) return;
    if (v.length > LONG_TEXT) parts.push(`${key}z=${await deflate(v)}`);
    else parts.push(`${key}=${escape(v)}`);
  };
  await text('a', s.a);
  await text('b', s.b);
  if (s.strict) parts.push('strict=1');
  if (s.example) parts.push(`ex=${escape(s.example)}`);
  if (s.program) parts.push(`prog=${escape(s.program)}`);
  if (s.mode && s.mode !== 'report') parts.push(`mode=${s.mode}`);
  if (s.code !== undefined) parts.push(`code=${await deflate(s.code)}`);
  return `#${s.view}${parts.length ? `?${parts.join('&')}` : ''}`;
}

/** The view named by a hash (#checker, #checker?...), or undefined. */
export function viewOf(hash: string): View | undefined {
  const name = hash.replace(/^#/, '').split('?')[0]!;
  return (VIEWS as readonly string[]).includes(name) ? (name as View) : undefined;
}

/** The state a hash holds; a value that cannot be read is left out. */
export async function fromHash(hash: string): Promise<DemoState> {
  const view = viewOf(hash) ?? 'playground';
  const q = hash.indexOf('?');
  const state: DemoState = { view };
  if (q < 0) return state;
  const p = new URLSearchParams(hash.slice(q + 1));
  const text = async (key: string): Promise<string | undefined> => {
    const plain = p.get(key);
    if (plain !== null) return plain;
    const packed = p.get(`${key}z`);
    if (packed === null) return undefined;
    try {
      return await inflate(packed);
    } catch {
      return undefined;
    }
  };
  state.a = await text('a');
  state.b = await text('b');
  if (p.has('strict')) state.strict = p.get('strict') === '1';
  state.example = p.get('ex') ?? undefined;
  state.program = p.get('prog') ?? undefined;
  const mode = p.get('mode');
  if (mode === 'throw' || mode === 'report') state.mode = mode;
  const code = p.get('code');
  if (code !== null) {
    try {
      state.code = await inflate(code);
    } catch {
      // a damaged link: the program's own text is shown instead
    }
  }
  return state;
}
