// A real local SMTP server (smtp-server) for the tests of e-mail notices: it records what it receives,
// decoded as a mail client would, and can refuse recipients (451, "try later") until told to accept.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { smtpMailer } from '../../activities/channels';

export async function startSmtpServer({ accepting = true }: { accepting?: boolean } = {}) {
  const received: { to: string[]; raw: string; subject: string; text: string }[] = [];
  const state = { accepting };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    onRcptTo(_address, _session, done) {
      done(state.accepting ? undefined : Object.assign(new Error('mailbox busy, try later'), { responseCode: 451 }));
    },
    onData(stream, session, done) {
      let raw = '';
      stream.on('data', (c: Buffer) => (raw += c.toString()));
      stream.on('end', () => {
        // Decoded as a mail client would (MIME words, quoted-printable): what the person reads.
        simpleParser(raw).then(
          (mail) => {
            received.push({ to: session.envelope.rcptTo.map((r) => r.address), raw, subject: mail.subject ?? '', text: mail.text ?? '' });
            done();
          },
          (err: Error) => done(err),
        );
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const url = `smtp://127.0.0.1:${(server.server.address() as AddressInfo).port}`;
  return {
    url,
    received,
    /** The service's mailer, sending to this server as the product's sender. */
    mailer: () => smtpMailer(url, 'one-window <noreply@one-window.localhost>'),
    accept() {
      state.accepting = true;
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
