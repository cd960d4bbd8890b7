// The channels a notice reaches a person by, besides the inbox: e-mail over SMTP (nodemailer) and a signed
// JSON webhook for the group robots of government messaging platforms. Each send is one attempt; Temporal
// retries it (activities), so a channel that is down is retried with backoff and never blocks a project.
import { createHmac, timingSafeEqual } from 'node:crypto';
import nodemailer from 'nodemailer';

export interface Mail {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  send(mail: Mail, key: string): Promise<void>;
  close(): void;
}

/** SMTP at `url` (smtp://user:pass@host:port, smtps://… for TLS), sending as `from`. */
export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url);
  return {
    async send(mail, key) {
      // The notice's key as Message-ID: a receiving system can tell a retried send from a new notice.
      await transport.sendMail({ from, ...mail, messageId: `<${key.replace(/[^\w.-]/g, '.')}@one-window>` });
    },
    close: () => transport.close(),
  };
}

/** Headers of a signed webhook: when it was sent, and HMAC-SHA256 over `<timestamp>.<body>` with the secret. */
export const WEBHOOK_TIMESTAMP = 'x-one-window-timestamp';
export const WEBHOOK_SIGNATURE = 'x-one-window-signature';

export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** Posts `payload` to `url`, signed; a non-2xx answer fails the attempt (Temporal retries it). */
export async function postWebhook(url: string, secret: string, payload: unknown, timeoutMs: number, now = Date.now()): Promise<void> {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(now / 1000));
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [WEBHOOK_TIMESTAMP]: timestamp, [WEBHOOK_SIGNATURE]: webhookSignature(secret, timestamp, body) },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
  await res.body?.cancel();
  if (!res.ok) throw new Error(`webhook ${new URL(url).host} answered HTTP ${res.status}`);
}

/** For receivers (and tests): whether a webhook is ours and fresh (within `toleranceS` of the receiver's clock). */
export function verifyWebhook(secret: string, headers: Record<string, string | string[] | undefined>, body: string, now = Date.now(), toleranceS = 300): boolean {
  const timestamp = headers[WEBHOOK_TIMESTAMP];
  const signature = headers[WEBHOOK_SIGNATURE];
  if (typeof timestamp !== 'string' || typeof signature !== 'string' || !/^\d+$/.test(timestamp)) return false;
  if (Math.abs(now / 1000 - Number(timestamp)) > toleranceS) return false;
  const expected = Buffer.from(webhookSignature(secret, timestamp, body));
  const given = Buffer.from(signature);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
