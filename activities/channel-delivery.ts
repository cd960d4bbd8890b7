// Sending a notice to the people it is for, by e-mail and webhook (activities/channels.ts): run by the
// noticeDelivery workflow, one per notice, so that a mail server that is down is retried by Temporal for
// as long as it takes without holding up the project that sent the notice. Each person gets it in their
// language, by the channels they chose for its kind.
import { currentDirectory, resolveAddress, UnknownAddress } from '../db/directory';
import type { Db } from '../db/connect';
import { noticeKind } from '../db/notices';
import { wants, type Person } from '../domain/directory';
import { renderNotice, type NoticeContent, type NoticeKind } from '../domain/notice-texts';
import { postWebhook, type Mailer } from './channels';
import type { Delivery } from './notification-sink';

export interface ChannelDeps {
  db: Db;
  /** E-mail (SMTP_URL); without it, no e-mail is sent. */
  mailer?: Mailer;
  /** The secret webhooks are signed with (WEBHOOK_SECRET); without it, no webhook is called. */
  webhookSecret?: string;
  webhookTimeoutMs?: number;
  /** Where people open the console (PUBLIC_URL): notices link to the project's page there. */
  publicUrl?: string;
}

type Recipient = Pick<Person, 'name' | 'email' | 'webhook' | 'language' | 'channels'>;

const NAMED = /^(.*?)\s*<([^<>\s]+@[^<>\s]+)>$/;

/** Who a notice's address reaches now: a named mailbox (escalations and reminders name their people; the
 *  directory says their language and choices), the people of a directory post, or the people the directory
 *  knows by principal id (`principal:<id>`, `agent:<id>`). Roles have only their inbox. */
export async function recipients(db: Db, address: string): Promise<Recipient[]> {
  const named = NAMED.exec(address);
  if (named) {
    const email = (named[2] as string).toLowerCase();
    const { posts } = await currentDirectory(db);
    const known = Object.values(posts).flatMap((p) => p.people).find((p) => p.email.toLowerCase() === email);
    return [{ language: 'zh', ...known, name: named[1] || (named[2] as string), email: named[2] as string }];
  }
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

/** The notice as recorded (the sink recorded it before handing it over), for its words and kind. */
async function recorded(db: Db, delivery: Delivery): Promise<{ id: string | undefined; kind: NoticeKind; content: NoticeContent | null }> {
  const row = await db.selectFrom('notices').select(['id', 'kind', 'content']).where('key', '=', delivery.key).executeTakeFirst();
  const content = (row?.content as NoticeContent | null | undefined) ?? (delivery.message ? { message: delivery.message, ...(delivery.project && { project: delivery.project }), ...(delivery.due && { due: delivery.due }) } : null);
  return { id: row?.id, kind: (row?.kind as NoticeKind | undefined) ?? noticeKind(delivery.key, delivery.subject, delivery.message), content };
}

export function channelActivities({ db, mailer, webhookSecret, webhookTimeoutMs = 10_000, publicUrl }: ChannelDeps) {
  return {
    /** Every chosen channel of every person the notice is for; a failure fails the attempt (Temporal retries
     *  all: e-mails may arrive twice then, with the same Message-ID; webhooks carry the notice key). */
    async sendToChannels(delivery: Delivery): Promise<{ emailed: string[]; webhooks: number }> {
      const people = await recipients(db, delivery.to);
      const { id, kind, content } = await recorded(db, delivery);
      // Who has it, by which channel, when (once: a retried attempt sends again but records once).
      const delivered = async (channel: 'email' | 'webhook', recipient: string) => {
        if (id === undefined) return;
        await db.insertInto('notice_deliveries').values({ notice_id: id, channel, recipient, at: new Date() }).onConflict((oc) => oc.doNothing()).execute();
      };
      const emailed: string[] = [];
      let webhooks = 0;
      for (const [i, person] of people.entries()) {
        const words = content ? renderNotice(content, person.language, publicUrl) : { subject: delivery.subject, lines: [delivery.subject], link: null };
        if (mailer && wants(person, 'email', kind)) {
          await mailer.send({ to: `${person.name} <${person.email}>`, subject: words.subject, text: words.lines.join('\n') }, `${delivery.key}/${i}`);
          await delivered('email', `${person.name} <${person.email}>`);
          emailed.push(person.email);
        }
        if (webhookSecret && person.webhook && wants(person, 'webhook', kind)) {
          const payload = {
            key: delivery.key,
            kind,
            to: person.name,
            language: person.language,
            title: words.subject,
            text: words.lines.join('\n'),
            ...(words.link && { link: words.link }),
            ...(content?.project && { projectId: content.project.id }),
          };
          await postWebhook(person.webhook, webhookSecret, payload, webhookTimeoutMs);
          await delivered('webhook', person.name);
          webhooks++;
        }
      }
      return { emailed, webhooks };
    },
  };
}
