// A restart after a crash must not adopt the orphaned dev server still listening on TEMPORAL_DEV_PORT:
// starting the dev server on a taken port is refused, naming the port and who holds it.
import { once } from 'node:events';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import type { AddressInfo } from 'node:net';
import { startDevServer } from '../temporal/dev-server';
import { tempFile } from './support/temporal';

async function occupy(): Promise<{ server: Server; port: number }> {
  const server = createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as AddressInfo).port };
}

async function freePort(): Promise<number> {
  const { server, port } = await occupy();
  server.close();
  await once(server, 'close');
  return port;
}

test('a taken frontend port is refused with the port, the holder and what to do', async () => {
  const { server, port } = await occupy();
  try {
    const uiPort = await freePort();
    const start = startDevServer({ port, uiPort });
    await expect(start).rejects.toThrow(
      new RegExp(
        `^cannot start the Temporal dev server: its frontend port ${port} on 127\\.0\\.0\\.1 \\(TEMPORAL_DEV_PORT\\) is already in use by pid ${process.pid} \\(.*\\)\\. ` +
          'An earlier dev server may still be running, e\\.g\\. left behind when a previous npm start crashed\\. ' +
          `Stop it \\(kill ${process.pid}\\), or choose free ports with TEMPORAL_DEV_PORT and TEMPORAL_UI_PORT\\.$`,
      ),
    );
  } finally {
    server.close();
  }
});

test('a taken UI port is refused too, naming the pid recorded by the earlier start', async () => {
  const { server, port: uiPort } = await occupy();
  const pidFile = tempFile('temporal-dev.pid');
  writeFileSync(pidFile, `${process.pid}\n`);
  try {
    await expect(startDevServer({ port: await freePort(), uiPort, pidFile })).rejects.toThrow(
      `its UI port ${uiPort} on 127.0.0.1 (TEMPORAL_UI_PORT) is already in use by pid ${process.pid}`,
    );
    await expect(startDevServer({ port: await freePort(), uiPort, pidFile })).rejects.toThrow(`, recorded in ${pidFile}. An earlier dev server may still be running`);
  } finally {
    server.close();
  }
});

test('a second start beside a running dev server is refused instead of connecting to it', async () => {
  const pidFile = tempFile('temporal-dev.pid');
  const [port, uiPort] = [await freePort(), await freePort()];
  const first = await startDevServer({ port, uiPort, pidFile });
  try {
    const pid = Number(readFileSync(pidFile, 'utf8'));
    expect(pid).not.toBe(process.pid);
    await expect(startDevServer({ port, uiPort, pidFile })).rejects.toThrow(
      new RegExp(`port ${port} on 127\\.0\\.0\\.1 \\(TEMPORAL_DEV_PORT\\) is already in use by pid ${pid} \\(\\S*temporal\\S* server start-dev .*\\), recorded in ${pidFile}\\.`),
    );
  } finally {
    await first.stop();
  }
  expect(existsSync(pidFile)).toBe(false);
});
