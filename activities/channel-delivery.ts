// Sending a notice to the people it is for, by e-mail and webhook (activities/channels.ts): run by the
// noticeDelivery workflow, one per notice, so that a mail server that is down is retried by Temporal for
// as long as it takes without holding up the project that sent the notice.
import { currentDirectory, resolveAddress, UnknownAddress } from '../db/directory';
import type { Db } from '../db/connect';
import type { Person } from '../domain/directory';
import { postWebhook, type Mailer } from './channels';
import type { Delivery } from './notification-sink';

export interface ChannelDeps {
  db: Db;
  /** E-mail (SMTP_URL); without it, no e-mail is sent. */
  mailer?: Mailer;
  /** The secret webhooks are signed with (WEBHOOK_SECRET); without it, no webhook is called. */
  webhookSecret?: string;
  webhookTimeoutMs?: number;
}

const NAMED = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/;

/** Who a notice's address reaches now: a named mailbox, the people of a directory post, or the people the
 *  directory knows by principal id (`principal:<id>`, `agent:<id>`). Roles have only their inbox. */
export async function recipients(db: Db, address: string): Promise<Pick<Person, 'name' | 'email' | 'webhook'>[]> {
  const named = NAMED.exec(address);
  if (named) return [{ name: named[1] || (named[2] as string), email: named[2] as string }];
  const principal = /^(?:principal|agent):(.+)$/.exec(address)?.[1];
  if (principal !== undefined) {
    const { posts } = await currentDirectory(db);
    const found = Object.values(posts).flatMap((p) => p.people.filter((person) => person.principalId === principal));
    return found.slice(0, 1);
  }
  try {
    return await resolveAddress(db, address);
  } catch (err) {
    if (err instanceof UnknownAddress) return [];
    throw err;
  }
}

export function channelActivities({ db, mailer, webhookSecret, webhookTimeoutMs = 10_000 }: ChannelDeps) {
  return {
    /** Every channel of every person the notice is for; a failure fails the attempt (Temporal retries all:
     *  e-mails may arrive twice then, with the same Message-ID; webhooks carry the notice key). */
    async sendToChannels(delivery: Delivery): Promise<{ emailed: string[]; webhooks: number }> {
      const people = await recipients(db, delivery.to);
      const emailed: string[] = [];
      let webhooks = 0;
      for (const [i, person] of people.entries()) {
        if (mailer) {
          await mailer.send({ to: `${person.name} <${person.email}>`, subject: delivery.subject, text: delivery.subject }, `${delivery.key}/${i}`);
          emailed.push(person.email);
        }
        if (webhookSecret && person.webhook) {
          await postWebhook(person.webhook, webhookSecret, { key: delivery.key, to: person.name, text: delivery.subject }, webhookTimeoutMs);
          webhooks++;
        }
      }
      return { emailed, webhooks };
    },
  };
}
