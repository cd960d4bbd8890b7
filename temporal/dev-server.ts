// The embedded default: the Temporal CLI dev server persisting to SQLite under data/, with the project's
// search attributes registered at start.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { msToTs } from '@temporalio/common/lib/time';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { devServerExecutable } from './binaries';
import { portHolder, portIsFree, recordedPid } from './ports';

export interface DevServerOptions {
  /** SQLite file; omitted, the server keeps everything in memory (tests). */
  dbFile?: string;
  port?: number;
  uiPort?: number;
  namespace?: string;
  /** How long closed projects stay readable in Temporal (the server's default is one day). */
  retentionDays?: number;
  /** Where to record the server's pid while it runs, so that a later start can name an orphan. */
  pidFile?: string;
}

const HOST = '127.0.0.1';
const REPORTED_PROBLEMS_AFTER = 'system.numConsecutiveWorkflowTaskProblemsToTriggerSearchAttribute';

/**
 * Refuses to start on a port already taken. The SDK would otherwise connect to whatever listens there —
 * after a crash, the orphaned dev server of the previous run — and the service would start "fine" on it.
 */
async function assertPortsFree(options: DevServerOptions): Promise<void> {
  const wanted = [
    { port: options.port, what: 'frontend', variable: 'TEMPORAL_DEV_PORT' },
    { port: options.uiPort, what: 'UI', variable: 'TEMPORAL_UI_PORT' },
  ];
  for (const { port, what, variable } of wanted) {
    if (port === undefined || port === 0 || (await portIsFree(port, HOST))) continue;
    const holder = portHolder(port);
    const recorded = options.pidFile !== undefined ? recordedPid(options.pidFile) : undefined;
    const pid = holder?.pid ?? recorded;
    const who =
      pid === undefined
        ? ''
        : ` by pid ${pid}${holder?.command ? ` (${holder.command.length > 120 ? `${holder.command.slice(0, 120)}…` : holder.command})` : ''}` +
          `${recorded === pid && options.pidFile ? `, recorded in ${options.pidFile}` : ''}`;
    throw new Error(
      `cannot start the Temporal dev server: its ${what} port ${port} on ${HOST} (${variable}) is already in use${who}. ` +
        'An earlier dev server may still be running, e.g. left behind when a previous npm start crashed. ' +
        `Stop it (${pid !== undefined ? `kill ${pid}` : `find it with: lsof -i :${port}`}), or choose free ports with TEMPORAL_DEV_PORT and TEMPORAL_UI_PORT.`,
    );
  }
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  env: TestWorkflowEnvironment;
  stop(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  await assertPortsFree(options);
  if (options.dbFile) mkdirSync(join(options.dbFile, '..'), { recursive: true });
  const ui = options.uiPort !== undefined;
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: devServerExecutable(),
      ip: '127.0.0.1',
      ...(options.port !== undefined && { port: options.port }),
      ...(options.namespace !== undefined && { namespace: options.namespace }),
      ...(options.dbFile !== undefined && { dbFilename: options.dbFile }),
      ui,
      ...(ui && { uiPort: options.uiPort }),
      searchAttributes: SEARCH_ATTRIBUTES,
      log: { format: 'pretty', level: 'error' },
      // SQLite's default rollback journal makes every write slow; WAL keeps the embedded default fast.
      // The server marks a workflow whose tasks keep failing with the TemporalReportedProblems search
      // attribute (Server 1.32: after 5 consecutive failures by default); 2 lets the stuck list's cheap
      // visibility filter find it at the second failure.
      extraArgs: ['--sqlite-pragma', 'journal_mode=wal', '--dynamic-config-value', `${REPORTED_PROBLEMS_AFTER}=2`],
    },
  });
  if (options.retentionDays !== undefined) {
    await env.client.workflowService.updateNamespace({
      namespace: options.namespace ?? 'default',
      config: { workflowExecutionRetentionTtl: msToTs(`${options.retentionDays} days`) },
    });
  }
  const { pidFile } = options;
  const pid = pidFile !== undefined && options.port !== undefined ? portHolder(options.port)?.pid : undefined;
  if (pidFile !== undefined && pid !== undefined) writeFileSync(pidFile, `${pid}\n`);
  return {
    address: env.address,
    ...(ui && { uiUrl: `http://127.0.0.1:${options.uiPort}` }),
    env,
    stop: async () => {
      await env.teardown();
      if (pidFile !== undefined) rmSync(pidFile, { force: true });
    },
  };
}
