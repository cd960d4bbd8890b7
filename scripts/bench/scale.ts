// Open projects at scale: N registered with their design stage open, 20 at a time, the process's memory
// sampled meanwhile; then reads of projects picked at random (most long out of the worker's cache), and
// the record's list and statistics timed before and after, to show they do not grow with the caseload.
import { SingleBar, Presets } from 'cli-progress';
import { pool, Timings } from './common';
import { registration, type Stack } from './stack';

export interface ScaleFigures {
  projects: number;
  seconds: number;
  peakRss: number;
  rssAfter: number;
  /** The process's memory after the caseload opened (and a GC, when --expose-gc): where the RSS is. */
  memoryAfter: NodeJS.MemoryUsage;
  timings: Timings;
  /** What answered the reads (the API's answer says: record or workflow). */
  servedBy: Record<string, number>;
}

const year = new Date().getFullYear();

/** The record's list and statistics, timed under `label` (20 of each). */
export async function recordReads(stack: Stack, timings: Timings, label: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    await timings.time(`list ${label}`, () => stack.call('GET', '/api/projects?locality=zhujing&limit=50', 'dev-leader'));
    await timings.time(`stats ${label}`, () => stack.call('GET', `/api/stats?from=${year}-01-01&to=${year}-12-31`, 'dev-leader'));
  }
}

export async function openProjects(stack: Stack, count: number, timings: Timings): Promise<ScaleFigures> {
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 250);
  const bar = new SingleBar({ format: '  open projects [{bar}] {value}/{total} · {eta_formatted} left · RSS {rss}', hideCursor: true }, Presets.shades_classic);
  bar.start(count, 0, { rss: '' });
  const ids: string[] = [];
  const seconds = await pool(count, 20, async () => {
    const { id } = await stack.call<{ id: string }>('POST', '/api/projects', 'dev-window', registration('scale'));
    await stack.call('POST', `/api/projects/${id}/stages/design/application`, 'dev-window', {});
    ids.push(id);
    bar.increment(1, { rss: `${(process.memoryUsage().rss / 1024 / 1024).toFixed(0)} MB` });
  });
  bar.stop();
  global.gc?.();
  const memoryAfter = process.memoryUsage();
  const rssAfter = memoryAfter.rss;

  // Reads of projects picked at random across the whole caseload, one at a time and then 20 at a time.
  const servedBy: Record<string, number> = {};
  const pick = () => ids[Math.floor(Math.random() * ids.length)] as string;
  const readOne = async (kind: string) => {
    const from = await timings.time(kind, () => stack.readProject(pick()));
    servedBy[from] = (servedBy[from] ?? 0) + 1;
  };
  await pool(200, 1, () => readOne('cold read c1'));
  await pool(400, 20, () => readOne('cold read c20'));
  clearInterval(sampler);
  return { projects: count, seconds, peakRss, rssAfter, memoryAfter, timings, servedBy };
}
