// The channels against real local servers: an SMTP server (smtp-server) receives the e-mail; an HTTP
// receiver verifies the webhook's signature; a failing one fails the attempt (for Temporal to retry).
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { postWebhook, smtpMailer, verifyWebhook, webhookSignature } from '../activities/channels';
import { startSmtpServer } from './support/smtp';

test('an e-mail reaches a real SMTP server with its addressee, Chinese subject and Message-ID from the notice key', async () => {
  const smtp = await startSmtpServer();
  const { received } = smtp;
  const mailer = smtpMailer(smtp.url, 'one-window <noreply@one-window.example>');
  try {
    await mailer.send({ to: '王芳 <wang.fang@example.gov>', subject: '朱泾镇 商业综合体：设计方案审查待您签署', text: '请于5个工作日内签署。' }, 'p-1/3/0');
    expect(received).toHaveLength(1);
    expect(received[0]?.to).toEqual(['wang.fang@example.gov']);
    expect(received[0]?.raw).toMatch(/^Subject: =\?UTF-8\?/m);
    expect(received[0]?.raw).toContain('Message-ID: <p-1.3.0@one-window>');
  } finally {
    mailer.close();
    await smtp.stop();
  }
  // A server that is not there fails the attempt.
  const gone = smtpMailer(smtp.url, 'noreply@one-window.example');
  await expect(gone.send({ to: 'x@example.gov', subject: 's', text: 't' }, 'k')).rejects.toThrow();
  gone.close();
}, 30_000);

test('a webhook is signed over its timestamp and body; the receiver verifies it; a failing receiver fails the attempt', async () => {
  const secret = 'robot-secret';
  const seen: { ok: boolean; body: unknown }[] = [];
  let answer = 200;
  const server = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      seen.push({ ok: verifyWebhook(secret, req.headers, raw), body: JSON.parse(raw) });
      res.writeHead(answer).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/robot`;
  try {
    await postWebhook(url, secret, { msgtype: 'text', text: { content: '项目待签署' } }, 5_000);
    expect(seen).toEqual([{ ok: true, body: { msgtype: 'text', text: { content: '项目待签署' } } }]);
    answer = 503;
    await expect(postWebhook(url, secret, { n: 2 }, 5_000)).rejects.toThrow(/HTTP 503/);
  } finally {
    server.close();
  }
  // Tampered, wrong secret, or stale: refused.
  const body = '{"a":1}';
  const ts = String(Math.floor(Date.now() / 1000));
  expect(verifyWebhook(secret, { 'x-one-window-timestamp': ts, 'x-one-window-signature': webhookSignature(secret, ts, body) }, body)).toBe(true);
  expect(verifyWebhook(secret, { 'x-one-window-timestamp': ts, 'x-one-window-signature': webhookSignature(secret, ts, body) }, '{"a":2}')).toBe(false);
  expect(verifyWebhook('other', { 'x-one-window-timestamp': ts, 'x-one-window-signature': webhookSignature(secret, ts, body) }, body)).toBe(false);
  const old = String(Math.floor(Date.now() / 1000) - 3600);
  expect(verifyWebhook(secret, { 'x-one-window-timestamp': old, 'x-one-window-signature': webhookSignature(secret, old, body) }, body)).toBe(false);
});
