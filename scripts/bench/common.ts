// What the benchmark's sections share: timing lists with percentiles, a bounded pool of concurrent jobs,
// and the figures' formatting.
import { performance } from 'node:perf_hooks';

export class Timings {
  private readonly lists = new Map<string, number[]>();

  /** Runs `job`, adding its duration (ms) to `kind`'s list. */
  async time<T>(kind: string, job: () => Promise<T>): Promise<T> {
    const started = performance.now();
    const result = await job();
    this.add(kind, performance.now() - started);
    return result;
  }

  add(kind: string, ms: number): void {
    (this.lists.get(kind) ?? this.lists.set(kind, []).get(kind)!).push(ms);
  }

  count(kind: string): number {
    return this.lists.get(kind)?.length ?? 0;
  }

  /** The p-th percentile of `kind` in ms (nearest rank), NaN when nothing was timed. */
  p(kind: string, p: number): number {
    const sorted = [...(this.lists.get(kind) ?? [])].sort((a, b) => a - b);
    if (sorted.length === 0) return NaN;
    return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number;
  }
}

/** Runs jobs 0…count-1, `concurrency` at a time; answers the wall-clock seconds it took. */
export async function pool(count: number, concurrency: number, job: (i: number) => Promise<void>): Promise<number> {
  const started = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, count) }, async () => {
      while (next < count) await job(next++);
    }),
  );
  return (performance.now() - started) / 1000;
}

export const ms = (n: number) => (Number.isFinite(n) ? (n < 10 ? n.toFixed(1) : n.toFixed(0)) : '—');
export const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

/** A goal of the closing table: what was measured against what was asked. */
export interface Goal {
  goal: string;
  measured: string;
  met: boolean;
}

export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(width(h), ...rows.map((r) => width(r[i] ?? ''))));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? pad(c, widths[i] as number) : padStart(c, widths[i] as number))).join('  ');
  console.log(line(header));
  for (const r of rows) console.log(line(r));
}

// Chinese characters take two columns on a terminal.
const width = (s: string) => [...s].reduce((n, ch) => n + (/[\u3000-\u9fff\uff00-\uffef]/.test(ch) ? 2 : 1), 0);
const pad = (s: string, w: number) => s + ' '.repeat(Math.max(0, w - width(s)));
const padStart = (s: string, w: number) => ' '.repeat(Math.max(0, w - width(s))) + s;
