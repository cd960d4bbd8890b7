// The replay command (`npm run replay`, `npm run ops -- replay`): see scripts/replay.ts for its usage.
import { Connection, Client, type HistoryAndWorkflowId } from '@temporalio/client';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config/env';
import {
  bundleForReplay,
  describeDivergence,
  fetchHistory,
  historyFromFile,
  OPEN_PROJECTS,
  QUERY_LIMIT,
  queryHistories,
  replayHistories,
  type ReplayVerdict,
} from '../operations/replay';
import { clientConnectionOptions, temporalTarget } from '../temporal/connection';
import { WORKFLOW_TYPE } from '../workflows/messages';

interface Options {
  workflowId: string[];
  query?: string;
  limit?: number;
  sample?: number;
  workflows?: string;
}

const count = (value: string): number => {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > QUERY_LIMIT.max) throw new InvalidArgumentError(`a whole number from 1 to ${QUERY_LIMIT.max}`);
  return n;
};

function program(name: string): Command {
  return new Command(name)
    .description('Replay projects\' workflow histories against the current workflow code or a candidate build')
    .argument('[files...]', 'history files (temporal workflow show --output json, or test/fixtures/histories/*.json)')
    .option('--workflow-id <id>', 'a project\'s workflow id, project-<uuid> (repeatable)', (v: string, all: string[]) => [...all, v], [])
    .option('--query <query>', `a visibility query; only ${WORKFLOW_TYPE} workflows are considered`)
    .option('--limit <n>', `with --query: at most this many (default ${QUERY_LIMIT.default})`, count)
    .option('--sample <n>', 'this many open projects (ExecutionStatus=Running), in the server\'s order (newest first)', count)
    .option('--workflows <folder>', 'replay against this workflow code (a candidate release\'s workflows folder) instead of the current code')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
}

async function connect(): Promise<Client> {
  const config = loadConfig();
  const target = temporalTarget(config);
  const connection = await Connection.connect(clientConnectionOptions(target));
  return new Client({ connection, namespace: target.namespace });
}

/**
 * The replay command on `argv` (the arguments after the command's name), as `npm run replay` and
 * `npm run ops -- replay` run it; answers the exit code, having said why on stderr when it is 2.
 */
export async function runReplay(argv: string[], name = 'npm run replay --'): Promise<number> {
  try {
    return await replay(argv, name);
  } catch (err) {
    // The client's errors keep the server's reason in their cause (e.g. a query naming an unknown attribute).
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    console.error(`replay failed: ${err instanceof Error ? err.message : String(err)}${cause}`);
    return 2;
  }
}

async function replay(argv: string[], name: string): Promise<number> {
  const cli = program(name);
  try {
    cli.parse(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    throw err;
  }
  const files = cli.args;
  const options = cli.opts<Options>();
  if (options.limit !== undefined && options.query === undefined) return usage(cli, '--limit goes with --query');
  if (files.length === 0 && options.workflowId.length === 0 && options.query === undefined && options.sample === undefined) {
    return usage(cli, 'name the histories to replay: files, --workflow-id, --query or --sample');
  }

  // The SDK's own lines (a replay worker starting and stopping, core's warning for each failed task)
  // would bury the verdicts.
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });

  const fromFiles = files.map((file) => historyFromFile(file));
  const needsServer = options.workflowId.length > 0 || options.query !== undefined || options.sample !== undefined;
  const [client, workflowBundle] = await Promise.all([needsServer ? connect() : undefined, bundleForReplay(options.workflows)]);
  let unfetched = 0;
  async function* histories(): AsyncGenerator<HistoryAndWorkflowId> {
    yield* fromFiles;
    if (!client) return;
    for (const id of options.workflowId) {
      try {
        yield await fetchHistory(client, id);
      } catch (err) {
        unfetched++;
        console.log(`ERROR ${id} — cannot fetch its history: ${(err as Error).message}`);
      }
    }
    if (options.query !== undefined) yield* queryHistories(client, options.query, options.limit);
    if (options.sample !== undefined) yield* queryHistories(client, OPEN_PROJECTS, options.sample);
  }

  const verdicts: ReplayVerdict[] = [];
  try {
    for await (const verdict of replayHistories(workflowBundle, histories())) {
      verdicts.push(verdict);
      console.log(line(verdict));
    }
  } finally {
    await client?.connection.close();
  }
  const failed = verdicts.filter((v) => !v.ok).length;
  const against = options.workflows === undefined ? 'the current workflow code' : options.workflows;
  console.log(
    `${verdicts.length} ${verdicts.length === 1 ? 'history' : 'histories'} replayed against ${against}: ${verdicts.length - failed} OK, ${failed} FAIL` +
      (unfetched > 0 ? `, ${unfetched} not fetched` : ''),
  );
  return failed > 0 ? 1 : unfetched > 0 ? 2 : 0;
}

function line(v: ReplayVerdict): string {
  if (v.ok) return `OK ${v.workflowId}`;
  const what = v.kind === 'nondeterminism' ? v.error : `replay failed, not by a determinism error: ${v.error}`;
  const where = v.divergingEvent ? ` (first diverging event ${describeDivergence(v.divergingEvent)})` : '';
  return `FAIL ${v.workflowId} — ${what}${where}`;
}

function usage(cli: Command, problem: string): number {
  console.error(`${problem}\n\n${cli.helpInformation()}`);
  return 2;
}
