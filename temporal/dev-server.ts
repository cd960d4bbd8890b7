// The embedded default: the Temporal CLI dev server persisting to SQLite under data/, with the project's
// search attributes registered at start.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { msToTs } from '@temporalio/common/lib/time';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import { devServerExecutable } from './binaries';

export interface DevServerOptions {
  /** SQLite file; omitted, the server keeps everything in memory (tests). */
  dbFile?: string;
  port?: number;
  uiPort?: number;
  namespace?: string;
  /** How long closed projects stay readable in Temporal (the server's default is one day). */
  retentionDays?: number;
}

export interface DevServer {
  address: string;
  uiUrl?: string;
  env: TestWorkflowEnvironment;
  stop(): Promise<void>;
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
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
      extraArgs: ['--sqlite-pragma', 'journal_mode=wal'],
    },
  });
  if (options.retentionDays !== undefined) {
    await env.client.workflowService.updateNamespace({
      namespace: options.namespace ?? 'default',
      config: { workflowExecutionRetentionTtl: msToTs(`${options.retentionDays} days`) },
    });
  }
  return {
    address: env.address,
    ...(ui && { uiUrl: `http://127.0.0.1:${options.uiPort}` }),
    env,
    stop: () => env.teardown(),
  };
}
