// Where a process's resident memory is, from Linux's /proc/<pid>/smaps, in the parts Node cannot report
// apart: V8 allocates every thread's heap in pages of 256 KB or less, each a mapping of its own (the
// workflow thread's heap among them); glibc's per-thread malloc arenas (Temporal's core, Node's own
// allocations) start on 64 MB boundaries; WebAssembly memory (the embedded database) and V8's code range
// are the large anonymous mappings; the rest is code and files.
import { existsSync, readFileSync } from 'node:fs';

interface Mapping {
  start: bigint;
  path: string;
  sizeKb: number;
  rssKb: number;
}

function mappings(pid: number | 'self'): Mapping[] {
  const out: Mapping[] = [];
  let current: Mapping | undefined;
  for (const line of readFileSync(`/proc/${pid}/smaps`, 'utf8').split('\n')) {
    const head = /^([0-9a-f]+)-[0-9a-f]+ \S+ \S+ \S+ \S+\s*(.*)$/.exec(line);
    if (head) {
      current = { start: BigInt(`0x${head[1] ?? '0'}`), path: head[2] ?? '', sizeKb: 0, rssKb: 0 };
      out.push(current);
      continue;
    }
    const field = /^(Size|Rss):\s+(\d+) kB/.exec(line);
    if (field && current) current[field[1] === 'Size' ? 'sizeKb' : 'rssKb'] = Number(field[2]);
  }
  return out;
}

export interface MemoryMap {
  /** Resident MB in V8's heap pages (every thread's JavaScript heap). */
  v8Heaps: number;
  /** In glibc's malloc arenas and the main heap (native allocations: Temporal's core, Node). */
  native: number;
  /** In large anonymous mappings (WebAssembly memory, V8's code range). */
  large: number;
  /** Other anonymous mappings. */
  other: number;
  /** Code and mapped files. */
  files: number;
}

/** This process's resident memory by kind, in MB; null where /proc is not there (not Linux). */
export function memoryMap(pid: number | 'self' = 'self'): MemoryMap | null {
  if (!existsSync(`/proc/${pid}/smaps`)) return null;
  const sum = { v8Heaps: 0, native: 0, large: 0, other: 0, files: 0 };
  for (const m of mappings(pid)) {
    const kind: keyof MemoryMap =
      m.path === '[heap]' || (m.path === '' && m.start % 0x4000000n === 0n && m.sizeKb <= 65536)
        ? 'native'
        : m.path.startsWith('/')
          ? 'files'
          : m.path !== ''
            ? 'other'
            : m.sizeKb <= 256
              ? 'v8Heaps'
              : m.sizeKb > 65536
                ? 'large'
                : 'other';
    sum[kind] += m.rssKb;
  }
  const mb = (kb: number) => Math.round(kb / 1024);
  return { v8Heaps: mb(sum.v8Heaps), native: mb(sum.native), large: mb(sum.large), other: mb(sum.other), files: mb(sum.files) };
}
