// Where notices go: the record (each person's inbox reads it) and an append-only JSON-lines file.
// Delivery is idempotent by key, because Temporal may run an activity more than once.
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Db } from '../db/connect';
import { cachedCalendar } from '../db/calendar';
import { recordNotice } from '../db/notices';
import { stageClock, type WorkingCalendar } from '../domain/calendar';
import { renderNotice, type NoticeClock, type NoticeDue, type NoticeMessage, type ProjectRef } from '../domain/notice-texts';

export interface Delivery {
  key: string;
  to: string;
  /** The notice in a line (logs, the JSONL file); replaced by the message's Chinese words when it has one. */
  subject: string;
  /** What people read, in their language (domain/notice-texts.ts); absent on older notices. */
  message?: NoticeMessage;
  project?: ProjectRef;
  /** The time limit as it stood when the notice was sent (worked out by the sink from the message's clock). */
  due?: NoticeDue;
}

export interface NotificationSink {
  deliver(delivery: Delivery): Promise<void>;
  /** Whether a delivery with this key was made (lets a costly notice be composed only once). */
  has?(key: string): Promise<boolean>;
}

export class FileNotificationSink implements NotificationSink {
  private delivered: Promise<Set<string>> | undefined;

  constructor(readonly path: string) {}

  async deliver(delivery: Delivery): Promise<void> {
    const delivered = await this.load();
    if (delivered.has(delivery.key)) return;
    // Claim the key before the write so a concurrent retry of the same delivery does not append twice.
    delivered.add(delivery.key);
    try {
      await appendFile(this.path, JSON.stringify({ ...delivery, at: new Date().toISOString() }) + '\n');
    } catch (err) {
      delivered.delete(delivery.key);
      throw err;
    }
  }

  async has(key: string): Promise<boolean> {
    return (await this.load()).has(key);
  }

  /** Every delivery recorded so far, oldest first. */
  async read(): Promise<(Delivery & { at: string })[]> {
    const text = await readFile(this.path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return '';
      throw err;
    });
    return text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as Delivery & { at: string });
  }

  private load(): Promise<Set<string>> {
    this.delivered ??= mkdir(dirname(this.path), { recursive: true })
      .then(() => this.read())
      .then((all) => new Set(all.map((d) => d.key)));
    return this.delivered;
  }
}

/**
 * Every notice into the record (db/notices.ts: the inboxes read it), then on to the next sink (the JSONL
 * file). Both are idempotent by key, so a retried delivery records once.
 */
export class RecordNotificationSink implements NotificationSink {
  constructor(
    private readonly db: Db,
    private readonly next?: NotificationSink,
    /** Hands the notice on to its e-mail and webhook delivery (worker/worker.ts noticeDispatch). */
    private readonly dispatch?: (delivery: Delivery) => Promise<void>,
  ) {}

  async deliver(delivery: Delivery): Promise<void> {
    const composed = await composeDelivery(this.db, delivery, Date.now());
    await recordNotice(this.db, { ...composed, at: new Date() });
    await this.next?.deliver(composed);
    await this.dispatch?.(composed);
  }

  async has(key: string): Promise<boolean> {
    const row = await this.db.selectFrom('notices').select('id').where('key', '=', key).executeTakeFirst();
    return row !== undefined;
  }
}

/** The time limit of a stage attempt on `now`, in working days, as the stage clocks count it. */
export function noticeDue(calendar: WorkingCalendar, clock: NoticeClock, now: number): NoticeDue {
  const c = stageClock(calendar, { submittedAt: clock.submittedAt, pauses: clock.pauses }, clock.limitDays, now);
  return { deadline: c.deadline, limitDays: c.limitDays, usedDays: c.usedDays, remainingDays: c.limitDays - c.usedDays, paused: clock.pauses.some((p) => p.to === undefined) };
}

/** A notice made ready to keep and send: its deadline worked out now (from the message's clock, unless
 *  the sender gave one) and its line in Chinese, the default language. Older notices pass unchanged. */
export async function composeDelivery(db: Db, delivery: Delivery, now: number): Promise<Delivery> {
  const { message } = delivery;
  if (!message) return delivery;
  const clock = 'clock' in message ? message.clock : undefined;
  const due = delivery.due ?? (clock ? noticeDue(await cachedCalendar(db), clock, now) : undefined);
  const content = { message, ...(delivery.project && { project: delivery.project }), ...(due && { due }) };
  return { ...delivery, ...(due && { due }), subject: renderNotice(content, 'zh').subject };
}
