// Temporal away from the API — a real network failure: the API's client reaches the suite's dev server
// through a TCP proxy the test cuts and restores. A request that needs Temporal is answered 503
// temporal-unavailable with Retry-After, as one that needs the record's database is (record-outage.test),
// never 500; repeated once Temporal is back, it is taken. (This app runs no worker: a repeat of a
// registration already started would read the project by a query, which only a worker answers.)
import { randomUUID } from 'node:crypto';
import { Connection } from '@temporalio/client';
import { clientConnectionOptions } from '../temporal/connection';
import { sealedClient } from '../temporal/command-seal';
import { startApp } from './support/app';
import { tcpProxy } from './support/tcp-proxy';
import { devServerAddress, testSeal } from './support/temporal';

jest.setTimeout(120_000);

test('a registration while the API cannot reach Temporal is answered 503 temporal-unavailable, and taken when repeated once it is back', async () => {
  const [host, port] = devServerAddress().split(':');
  const proxy = await tcpProxy({ host: host as string, port: Number(port) });
  const connection = await Connection.connect(clientConnectionOptions({ address: `127.0.0.1:${proxy.port()}` }));
  const app = await startApp('temporal-outage', { client: sealedClient(connection, 'default', testSeal().signer) });
  try {
    const name = `漕泾镇 断联登记 ${randomUUID().slice(0, 8)}`;
    const registration = { name, applicant: { name: '上海漕泾某某机械有限公司', uscc: '91310000MA1FL4B24G' }, category: 'general', locality: 'caojing', utilities: ['power'] };
    const key = { 'idempotency-key': randomUUID() };
    // Longer than the suite's caller waits (below).
    const register = () =>
      fetch(`${app.url}/api/projects`, {
        method: 'POST',
        headers: { authorization: 'Bearer dev-window', 'content-type': 'application/json', ...key },
        body: JSON.stringify(registration),
        signal: AbortSignal.timeout(60_000),
      });
    await proxy.cut();
    // The client's own retries of an unreachable server come first (about 20 s: the SDK's default, which
    // also rides out a server's restart), then the answer.
    const refused = await register();
    const body = (await refused.json()) as { error: string; message: string };
    expect([refused.status, body.error, refused.headers.get('retry-after')]).toEqual([503, 'temporal-unavailable', '5']);
    expect(body.message).toMatch(/Temporal is not answering/);

    await proxy.restore();
    // Taken once Temporal is back (the client reconnects within its 5 s backoff: temporal/connection.ts).
    const taken = await register();
    expect(taken.status).toBe(201);
    const { workflowId } = (await taken.json()) as { workflowId: string };
    expect((await app.client.workflow.getHandle(workflowId).describe()).status.name).toBe('RUNNING');
  } finally {
    await app.stop();
    await proxy.stop();
  }
});
