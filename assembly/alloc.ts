// A small segregated-fit allocator over linear memory.
//
// Why not AssemblyScript's heap.alloc: its TLSF traps (unreachable) when memory
// cannot grow, and a trap in the middle of an operation is exactly what the
// host must never see. Here a failed allocation returns 0 and the caller
// reports ENOMEM, leaving every existing block intact.
//
// Blocks come in size classes of 2^k, 1.25*2^k, 1.5*2^k and 1.75*2^k bytes
// (at most 25% waste), each class with its own free list. A freed block goes
// back on its class's list and is reused by the next allocation of that class,
// so a steady workload reaches a plateau and stays there.
//
// Every block has an 8-byte header in front of the pointer handed out:
// [u32 class index][u32 MAGIC_LIVE or MAGIC_FREE]. Pointers are 4-aligned
// (class sizes such as 20 bytes are multiples of 4, not of 8).

const HEADER: usize = 8;
const MIN_CLASS: i32 = 16; // 2^4 = 16 bytes (header included)
const NUM_CLASSES: i32 = 128;
const MAGIC_LIVE: u32 = 0x4c495645;
const MAGIC_FREE: u32 = 0x46524545;
const PAGE: usize = 65536;

// free-list heads, one u32 per class
const freeLists: usize = memory.data(NUM_CLASSES * 4, 8);

let top: usize = 0;         // first byte never handed out
let limitPages: i32 = 16384; // 1 GiB by default; the host may change it
let liveBlocks: i32 = 0;
let liveBytes: usize = 0;

@inline function classSize(index: i32): usize {
  const k = index >> 2;
  const j = index & 3;
  return (<usize>1 << k) + (<usize>j << (k - 2));
}

// smallest class whose size holds `total` bytes
@inline function classOf(total: usize): i32 {
  if (total <= <usize>MIN_CLASS) return 16; // index of 2^4
  const k = 31 - <i32>clz<u32>(<u32>(total - 1)); // 2^k < total <= 2^(k+1)
  const step = <usize>1 << (k - 2);
  const j = <i32>((total - (<usize>1 << k) + step - 1) >> (k - 2)); // 1..4
  return (k << 2) + j;
}

function ensureTop(): void {
  if (top == 0) top = (__heap_base + 7) & ~<usize>7;
}

/** Allocate `size` bytes, 4-aligned; 0 when memory cannot grow. */
export function alloc(size: usize): usize {
  if (size > 0x7fff0000) return 0;
  ensureTop();
  const index = classOf(size + HEADER);
  if (index >= NUM_CLASSES) return 0;
  const bytes = classSize(index);
  const head = freeLists + (<usize>index << 2);
  let block = <usize>load<u32>(head);
  if (block != 0) {
    store<u32>(head, load<u32>(block + HEADER)); // next pointer lives in the payload
  } else {
    const end = top + bytes;
    const have = <usize>memory.size() * PAGE;
    if (end > have) {
      const need = <i32>((end - have + PAGE - 1) / PAGE);
      if (memory.size() + need > limitPages) return 0;
      // grow by at least a quarter of the current size to keep grow calls rare
      let want = need;
      const quarter = memory.size() >> 2;
      if (quarter > want && memory.size() + quarter <= limitPages) want = quarter;
      if (memory.grow(want) < 0 && (want == need || memory.grow(need) < 0)) return 0;
    }
    block = top;
    top = end;
  }
  store<u32>(block, <u32>index);
  store<u32>(block + 4, MAGIC_LIVE);
  liveBlocks++;
  liveBytes += bytes;
  return block + HEADER;
}

/** Return a block from alloc(); 0 and pointers that are not live blocks are ignored. */
export function free(ptr: usize): void {
  if (ptr == 0) return;
  const block = ptr - HEADER;
  if (load<u32>(block + 4) != MAGIC_LIVE) return;
  const index = <i32>load<u32>(block);
  const head = freeLists + (<usize>index << 2);
  store<u32>(block + 4, MAGIC_FREE);
  store<u32>(ptr, load<u32>(head));
  store<u32>(head, <u32>block);
  liveBlocks--;
  liveBytes -= classSize(index);
}

/** Usable bytes of a live block. */
export function blockCapacity(ptr: usize): usize {
  return classSize(<i32>load<u32>(ptr - HEADER)) - HEADER;
}

/** True when ptr is a block handed out by alloc and not yet freed. */
export function isLive(ptr: usize): bool {
  return ptr >= HEADER && ptr < top && (ptr & 3) == 0 && load<u32>(ptr - HEADER + 4) == MAGIC_LIVE;
}

/** Cap linear memory at `pages` (64 KiB each, at most 32768 = 2 GiB); never below what is in use. */
export function setLimitPages(pages: i32): void {
  if (pages > 32768) pages = 32768;
  limitPages = pages < memory.size() ? memory.size() : pages;
}
export function getLimitPages(): i32 { return limitPages; }
export function liveBlockCount(): i32 { return liveBlocks; }
export function liveByteCount(): usize { return liveBytes; }
