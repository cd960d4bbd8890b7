// `npm run ops -- <command>`: the operators' command line — what the admin API's operations endpoints do,
// through the same functions (operations/), for an operator at a terminal configured as the service is
// (TEMPORAL_ADDRESS, DATABASE_URL, SEAL_PRIVATE_KEY_FILE, TEMPORAL_TASK_QUEUE…; config/env.ts).
//
//   audit-verify                 recomputes the audit log's hash chain; prints how many entries were checked
//                                and either "audit log intact" or the first broken link (exit 1).
//   stuck [--kind K] [--locality L] [--stage S] [--department D] [--limit N] [--cursor C] [--json]
//                                the stuck list (GET /api/operations/stuck): each case's kind, since when, the
//                                project, the evidence, who is expected to act and the ops command that
//                                repairs it; then the counts and whether the scan of Temporal was complete.
//                                --json prints the API's answer.
//   retry-push <projectId> <company> --reason R      pushes a failed push again (POST …/pushes/:company/retry)
//   renotify <projectId> <stage> --reason R          reminds the parties pending on the stage (POST …/reminders)
//   reset <projectId> --reason R [--to EVENT_ID]     Temporal reset of a stopped project; prints what was kept
//   reconcile <projectId> --reason R                 brings the record to what Temporal says of a closed workflow
//   batch <action> --reason R --max N [--ids a,b,c] [--locality L] [--stage S] [--status S] [--pending P]
//         [--category C] [--major true|false] [--agent A] [--light L] [--push P] [--year Y] [--no-wait]
//                                starts an operations batch (calendar, directory, renotify, reset, withdraw)
//                                over the projects the filter picks — refused if it picks more than --max —
//                                then follows it with a progress bar and prints done/failed/total and failures
//   batch-status <batchId> [--json]                  a batch's progress, once
//   replay …                     the replay check, exactly as `npm run replay -- …` (same options and exit codes)
//
// Acting commands (retry-push, renotify, reset, reconcile, batch) act as an admin principal of the
// principals file (config/principals.ts): --as <id>, or ONE_WINDOW_OPERATOR. The project's trail (or notes)
// and the audit log record who did it and why; Updates and held commands are sealed with the API's key.
// --key <text> makes a retried action apply once (as the API's Idempotency-Key); a busy project's answer
// names the key to retry with.
//
// Exit codes: 0 done; 1 refused by the project or Temporal (the reason is printed), held for a project that
// is not making progress, or a batch followed to its end (`batch` without --no-wait) with failures, or a broken audit chain; 2 usage, configuration or
// connection problems.
//
// The record is the one DATABASE_URL names or, with it unset, the embedded database in data/pgdata — which
// only one process may open: while `npm start` runs, commands that need the record refuse (exit 2); use the
// running service's API instead (each refusal names the endpoint).
import { createHash, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import { SingleBar } from 'cli-progress';
import { Argument, Command, CommanderError, Option } from 'commander';
import type { z } from 'zod';
import { loadConfig, type Config } from '../config/env';
import { loadPrincipals } from '../config/principals';
import { loadSealSigner } from '../config/seal';
import { appendAudit, verifyAuditChain } from '../db/audit';
import { loadCalendar } from '../db/calendar';
import { openConfiguredDb, type Db } from '../db/connect';
import { DataDirInUseError, openEmbeddedDb } from '../db/embedded';
import { TrailConflict } from '../db/record';
import { BATCH_ACTIONS } from '../domain/batch';
import type { Actor, CommandResult } from '../domain/project';
import { batchBody, batchParams, projectParams, pushParams, reconcileBody, repairBody, resetBody, stageParams, STUCK_KINDS, stuckQuery } from '../domain/schemas';
import { uuidFrom } from '../api/idempotency';
import { ActionRefused, sendAction } from '../operations/actions';
import { BatchRefused, batchProgress, startBatch, type BatchAsk } from '../operations/batch';
import { reconcileProject } from '../operations/reconcile';
import { ResetRefused, resetProject } from '../operations/reset';
import { findStuck, stuckPage } from '../operations/stuck';
import { sealedClient } from '../temporal/command-seal';
import { clientConnectionOptions, temporalTarget } from '../temporal/connection';
import { remindPending, retryPush } from '../workflows/messages';
import { batchSummary, printStuck, trailLine } from './ops-print';
import { runReplay } from './replay-command';

const NAME = 'npm run ops --';

/** Exit 2: the command could not be made (usage, configuration, connection). */
class UsageProblem extends Error {}
/** Exit 1: the project or Temporal said no (or the action is held). */
class Refusal extends Error {}

// ---- what a command needs, opened only when it needs it, closed at the end ----

interface Session {
  config: Config;
  record(apiHint: string): Promise<Db>;
  /** Sealed unless `sealed` is false (reading needs no seal, so no key). */
  temporal(sealed?: boolean): Promise<Client>;
  close(): Promise<void>;
}

function session(): Session {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    throw new UsageProblem((err as Error).message);
  }
  const closers: (() => Promise<void>)[] = [];
  let db: Promise<Db> | undefined;
  let client: Promise<Client> | undefined;
  return {
    config,
    record(apiHint) {
      db ??= (async () => {
        try {
          if (config.DATABASE_URL !== undefined) {
            const opened = await openConfiguredDb(config);
            closers.push(() => opened.destroy());
            return opened;
          }
          const embedded = await openEmbeddedDb({ dataDir: config.embeddedDataDir });
          closers.push(embedded.close);
          return embedded.db;
        } catch (err) {
          if (err instanceof DataDirInUseError) throw new UsageProblem(`${err.message}\nwhile the service runs, ask it instead: ${apiHint}`);
          throw new UsageProblem(`cannot open the record: ${(err as Error).message}`);
        }
      })();
      return db;
    },
    temporal(sealed = true) {
      client ??= (async () => {
        try {
          const target = temporalTarget(config);
          // Sealed as the API's client is: workers refuse unsealed Updates and held commands.
          const signer = sealed ? loadSealSigner(config) : undefined;
          const connection = await Connection.connect(clientConnectionOptions(target));
          closers.push(() => connection.close());
          return signer ? sealedClient(connection, target.namespace, signer) : new Client({ connection, namespace: target.namespace });
        } catch (err) {
          throw new UsageProblem(`cannot reach Temporal: ${(err as Error).message}`);
        }
      })();
      return client;
    },
    async close() {
      for (const close of closers.reverse()) await close().catch(() => undefined);
    },
  };
}

/** The admin an acting command acts as; refused (exit 2) without one. */
function operator(config: Config, as: string | undefined): Actor {
  const id = as ?? config.ONE_WINDOW_OPERATOR;
  if (id === undefined) throw new UsageProblem('say who acts: --as <admin principal id>, or set ONE_WINDOW_OPERATOR (every action records who did it)');
  let found: Actor | undefined;
  try {
    found = loadPrincipals(config).find(id);
  } catch (err) {
    throw new UsageProblem((err as Error).message);
  }
  if (!found) throw new UsageProblem(`--as ${id}: no such principal in ${config.PRINCIPALS_FILE ?? 'the development principals'}`);
  if (found.role !== 'admin') throw new UsageProblem(`--as ${id}: operators act as admins; ${id} is a ${found.role}`);
  return found;
}

/** Parses the command's input with the API's own schema; a bad value names the option or argument. */
function parseInput<S extends z.ZodType>(schema: S, value: unknown, names: Record<string, string> = {}): z.infer<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    const path = i.path.map(String);
    const name = names[path.join('.')] ?? `--${path[path.length - 1] ?? '?'}`;
    return `${name}: ${i.message}`;
  });
  throw new UsageProblem(problems.join('\n'));
}

/** The Update id (or request id) for an action: the same --key, operator, command and input name the same one. */
function actionKey(by: Actor, command: string, key: string, input: unknown): string {
  return createHash('sha256').update(JSON.stringify([by.id, `ops ${command}`, key, input])).digest('hex');
}

/** Writes the command into the audit log, as the API does for its commands; a failure is said, not fatal. */
async function audit(db: Db, by: Actor, path: string, projectId: string | null, status: number, detail: string): Promise<void> {
  const outcome = status < 400 ? 'accepted' : status === 404 ? 'not-found' : status === 403 ? 'forbidden' : status === 503 ? 'busy' : 'refused';
  await appendAudit(db, { at: new Date().toISOString(), principalId: by.id, principalRole: by.role, method: 'CLI', path, projectId, outcome, status, detail: detail.slice(0, 1024) }).catch(
    (err: unknown) => console.error(`warning: the audit log entry was not written: ${(err as Error).message}`),
  );
}

// ---- the commands ----

async function auditVerify(s: Session): Promise<number> {
  const db = await s.record('GET /api/audit/verify');
  const result = await verifyAuditChain(db);
  console.log(`checked ${result.checked} audit log ${result.checked === 1 ? 'entry' : 'entries'}`);
  if (result.intact) {
    console.log(`audit log intact${result.head ? ` (last entry: seq ${result.head.seq}, hash ${result.head.hash})` : ' (empty)'}`);
    return 0;
  }
  const { seq, id, problem } = result.broken;
  console.log(`audit log broken at seq ${seq} (id ${id}): ${problem}`);
  return 1;
}

interface StuckOptions {
  kind?: string;
  locality?: string;
  stage?: string;
  department?: string;
  limit?: string;
  cursor?: string;
  json?: boolean;
}

async function stuck(s: Session, options: StuckOptions): Promise<number> {
  const { json, ...query } = options;
  const { limit, cursor, ...filter } = parseInput(stuckQuery, query);
  const db = await s.record('GET /api/operations/stuck');
  const client = await s.temporal(false);
  const list = await findStuck({ db, client, calendar: await loadCalendar(db), now: Date.now(), options: s.config.stuck }, filter);
  const page = stuckPage(list, limit, cursor);
  if (json) console.log(JSON.stringify(page, null, 2));
  else printStuck(list, page.entries);
  return 0;
}

interface ActingOptions {
  reason: string;
  as?: string;
  key?: string;
}

/** retry-push and renotify: one Update, as the API sends it (operations/actions.ts). */
async function projectAction<A extends { by: Actor }>(
  s: Session,
  command: { name: string; path: string; projectId: string; api: string },
  update: UpdateDefinition<CommandResult, [A]>,
  input: A,
  key: string | undefined,
  describe: (state: Extract<Awaited<ReturnType<typeof sendAction>>, { held: false }>['state']) => string[],
): Promise<number> {
  const { by } = input;
  const db = await s.record(command.api);
  const client = await s.temporal();
  const usedKey = key ?? randomUUID();
  const detail = (input as { reason?: string }).reason ?? '';
  try {
    const outcome = await sendAction({ client, db, acceptTimeoutMs: s.config.ACCEPT_TIMEOUT_MS }, command.projectId, update, input, actionKey(by, command.path, usedKey, input));
    if (outcome.held) {
      await audit(db, by, command.path, command.projectId, 202, `held: ${detail}`);
      throw new Refusal(outcome.message);
    }
    await audit(db, by, command.path, command.projectId, 200, detail);
    const entry = outcome.state.trail.find((t) => t.seq === outcome.result.seq);
    console.log(`${update.name} accepted for project ${command.projectId}`);
    if (entry) console.log(`  trail ${trailLine(entry)}`);
    for (const line of describe(outcome.state)) console.log(`  ${line}`);
    return 0;
  } catch (err) {
    if (!(err instanceof ActionRefused)) throw err;
    await audit(db, by, command.path, command.projectId, err.status, `${detail} — ${err.message}`);
    if (err.status === 503) throw new Refusal(`${err.message}; run the same command again with --key ${usedKey} (it applies once)`);
    throw new Refusal(err.message);
  }
}

async function retryPushCommand(s: Session, projectId: string, company: string, options: ActingOptions): Promise<number> {
  const params = parseInput(pushParams, { id: projectId, company }, { id: '<projectId>', company: '<company>' });
  const { reason } = parseInput(repairBody, { reason: options.reason });
  const by = operator(s.config, options.as);
  const path = `ops retry-push ${params.id} ${params.company}`;
  return projectAction(s, { name: 'retry-push', path, projectId: params.id, api: `POST /api/projects/${params.id}/pushes/${params.company}/retry` }, retryPush, { company: params.company, reason, by }, options.key, (state) =>
    state.pushes.filter((p) => p.company === params.company).map((p) => `push to ${p.company}: ${p.status}`),
  );
}

async function renotifyCommand(s: Session, projectId: string, stage: string, options: ActingOptions): Promise<number> {
  const params = parseInput(stageParams, { id: projectId, stage }, { id: '<projectId>', stage: '<stage>' });
  const { reason } = parseInput(repairBody, { reason: options.reason });
  const by = operator(s.config, options.as);
  const path = `ops renotify ${params.id} ${params.stage}`;
  return projectAction(s, { name: 'renotify', path, projectId: params.id, api: `POST /api/projects/${params.id}/stages/${params.stage}/reminders` }, remindPending, { stage: params.stage, reason, by }, options.key, () => []);
}

async function resetCommand(s: Session, projectId: string, options: ActingOptions & { to?: string }): Promise<number> {
  const { id } = parseInput(projectParams, { id: projectId }, { id: '<projectId>' });
  const body = parseInput(resetBody, { reason: options.reason, ...(options.to !== undefined && { to: Number(options.to) }) });
  const by = operator(s.config, options.as);
  const path = `ops reset ${id}`;
  const db = await s.record(`POST /api/operations/projects/${id}/reset`);
  const client = await s.temporal();
  const requestId = uuidFrom(actionKey(by, path, options.key ?? randomUUID(), body));
  try {
    const answer = await resetProject(client, { projectId: id, by, reason: body.reason, requestId, ...(body.to !== undefined && { to: body.to }) });
    await audit(db, by, path, id, 200, `reset${body.to !== undefined ? ` to event ${body.to}` : ''}: ${body.reason}`);
    console.log(answer.message);
    console.log(`  run ${answer.previousRunId} → ${answer.runId}`);
    for (const signal of answer.kept.signals) console.log(`  kept signal #${signal.eventId} ${signal.name}`);
    for (const update of answer.kept.updates) console.log(`  kept update #${update.eventId} ${update.name} (${update.id})`);
    return 0;
  } catch (err) {
    if (!(err instanceof ResetRefused)) throw err;
    if (err.field) throw new UsageProblem(`--to: ${err.message}`);
    await audit(db, by, path, id, err.status, `reset: ${body.reason} — ${err.message}`);
    throw new Refusal(err.message);
  }
}

async function reconcileCommand(s: Session, projectId: string, options: ActingOptions): Promise<number> {
  const { id } = parseInput(projectParams, { id: projectId }, { id: '<projectId>' });
  const { reason } = parseInput(reconcileBody, { reason: options.reason });
  const by = operator(s.config, options.as);
  const path = `ops reconcile ${id}`;
  const db = await s.record(`POST /api/operations/projects/${id}/reconcile`);
  const client = await s.temporal();
  const refuse = async (status: number, message: string): Promise<never> => {
    await audit(db, by, path, id, status, `reconcile: ${reason} — ${message}`);
    throw new Refusal(message);
  };
  let result;
  try {
    result = await reconcileProject({ db, client, calendar: await loadCalendar(db), now: Date.now() }, id, { by: by.id, reason });
  } catch (err) {
    // The completed workflow's trail rewrites what the record holds: the record keeps it; a person decides.
    if (err instanceof TrailConflict) return refuse(409, err.message);
    throw err;
  }
  if (result.outcome === 'not-recorded') return refuse(404, `the record has no project ${id}`);
  if (result.outcome === 'in-sync') return refuse(409, `nothing to reconcile: the record says ${result.recorded} and Temporal says ${result.temporal}`);
  await audit(db, by, path, id, 200, `reconcile: ${result.outcome} (Temporal: ${result.temporal}); reason: ${reason}`);
  if (result.outcome === 'completed') console.log(`project ${id}: the record took the completed workflow's final state`);
  if (result.outcome === 'terminated') {
    const t = result.termination;
    console.log(`project ${id}: recorded as terminated — Temporal says ${result.temporal} at ${t.at}${t.by ? ` by ${t.by}` : ''} (${t.reason})`);
  }
  if (result.outcome === 'missing') console.log(`project ${id}: Temporal has no such workflow; ${result.alreadyNoted ? 'already noted' : 'noted on the project'}, nothing closed`);
  return 0;
}

interface BatchOptions extends ActingOptions {
  max?: string;
  ids?: string;
  locality?: string;
  stage?: string;
  status?: string;
  pending?: string;
  category?: string;
  major?: string;
  agent?: string;
  light?: string;
  push?: string;
  year?: string;
  wait: boolean;
}

async function batchCommand(s: Session, action: string, options: BatchOptions): Promise<number> {
  const { reason, max, ids, year, wait, as, key, ...rest } = options;
  const filter = Object.fromEntries(Object.entries({ ...rest, ...(ids !== undefined && { ids: ids.split(',').map((i) => i.trim()) }) }).filter(([, v]) => v !== undefined));
  const body = parseInput(
    batchBody,
    { action, reason, max: max === undefined ? undefined : Number(max), filter, ...(year !== undefined && { year: Number(year) }) },
    { action: '<action>' },
  );
  if (body.filter.pending === 'me') throw new UsageProblem("--pending: name the party ('me' is a reviewer's own worklist)");
  const by = operator(s.config, as);
  const db = await s.record('POST /api/operations/batches');
  const client = await s.temporal();
  const { pending, ...query } = body.filter;
  const ask: BatchAsk = { ...body, by, filter: { ...query, ...(pending && { pending }) }, ...(body.action === 'calendar' && { year: body.year ?? new Date().getFullYear() }) };
  const path = `ops batch ${body.action}`;
  let started;
  try {
    started = await startBatch({ client, db, taskQueue: s.config.TEMPORAL_TASK_QUEUE, calendar: await loadCalendar(db) }, ask, uuidFrom(actionKey(by, path, key ?? randomUUID(), body)));
  } catch (err) {
    if (!(err instanceof BatchRefused)) throw err;
    await audit(db, by, path, null, err.status, `batch ${body.action} (max ${body.max}) ${JSON.stringify(body.filter)}: ${reason} — ${err.message}`);
    throw new Refusal(err.message);
  }
  await audit(db, by, path, null, 202, `batch ${started.id} ${body.action} on ${started.total} project(s) (max ${body.max}): ${reason}`);
  console.log(`batch ${started.id}: ${body.action} on ${started.total} project(s)`);
  if (!wait) return 0;
  const progress = await follow(client, started.id, started.total);
  batchSummary(progress);
  return progress.failed > 0 ? 1 : 0;
}

/** Follows a batch to its end with a progress bar (on stderr, and only on a terminal). */
async function follow(client: Client, id: string, total: number) {
  const bar = new SingleBar({ format: '{bar} {value}/{total} ({failed} failed)', stream: process.stderr, hideCursor: true });
  bar.start(total, 0, { failed: 0 });
  try {
    for (;;) {
      const progress = await batchProgress(client, id);
      bar.setTotal(progress.total);
      bar.update(progress.done + progress.failed, { failed: progress.failed });
      if (progress.status === 'completed') return progress;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } finally {
    bar.stop();
  }
}

async function batchStatusCommand(s: Session, id: string, options: { json?: boolean }): Promise<number> {
  const params = parseInput(batchParams, { id }, { id: '<batchId>' });
  const client = await s.temporal(false);
  try {
    const progress = await batchProgress(client, params.id);
    if (options.json) console.log(JSON.stringify(progress, null, 2));
    else batchSummary(progress);
    return 0;
  } catch (err) {
    if (!(err instanceof BatchRefused)) throw err;
    throw new Refusal(err.message);
  }
}

// ---- the command line ----

function program(run: (work: (s: Session) => Promise<number>) => Promise<void>): Command {
  const cli = new Command(NAME)
    .description("The operators' command line: the admin API's operations, through the same functions")
    .exitOverride()
    .configureOutput({ writeErr: (text) => process.stderr.write(text) })
    .showHelpAfterError()
    .addHelpText('after', '\nExit codes: 0 done; 1 refused by the project or Temporal (reason printed), held, or a batch with failures; 2 usage, configuration or connection problems.');
  const acting = (cmd: Command) =>
    cmd
      .requiredOption('--reason <text>', 'why (kept in the trail and the audit log)')
      .option('--as <principal>', 'the admin principal acting (default: ONE_WINDOW_OPERATOR)')
      .option('--key <text>', 'an idempotency key: the same command with the same key applies once');

  cli.command('audit-verify').description("recompute the audit log's hash chain").action(() => run(auditVerify));

  cli
    .command('stuck')
    .description('the stuck list: what needs attention, why, since when, who acts, and the repair')
    .addOption(new Option('--kind <kind>').choices(STUCK_KINDS))
    .option('--locality <locality>')
    .option('--stage <stage>')
    .option('--department <party>', 'a department or utility company: only the cases about it')
    .option('--limit <n>', 'at most this many cases (default 100)')
    .option('--cursor <n>', "the previous page's nextCursor (with --json)")
    .option('--json', "print the API's answer")
    .action((options: StuckOptions) => run((s) => stuck(s, options)));

  acting(cli.command('retry-push').description('push a failed push to a utility company again').argument('<projectId>').argument('<company>')).action(
    (projectId: string, company: string, options: ActingOptions) => run((s) => retryPushCommand(s, projectId, company, options)),
  );

  acting(cli.command('renotify').description("remind the parties pending on a stage (and the locality's liaison)").argument('<projectId>').argument('<stage>')).action(
    (projectId: string, stage: string, options: ActingOptions) => run((s) => renotifyCommand(s, projectId, stage, options)),
  );

  acting(cli.command('reset').description('reset a stopped project past its failing workflow task; prints what was kept').argument('<projectId>'))
    .option('--to <eventId>', "a completed workflow task's event id in the current run")
    .action((projectId: string, options: ActingOptions & { to?: string }) => run((s) => resetCommand(s, projectId, options)));

  acting(cli.command('reconcile').description('bring the record to what Temporal says of a closed or missing workflow').argument('<projectId>')).action(
    (projectId: string, options: ActingOptions) => run((s) => reconcileCommand(s, projectId, options)),
  );

  acting(cli.command('batch').description('one action over the projects a filter picks, bounded by --max; follows it to the end').addArgument(new Argument('<action>').choices(BATCH_ACTIONS)))
    .option('--max <n>', 'the most projects the batch may touch: a filter that picks more is refused')
    .option('--ids <ids>', 'only these projects (comma-separated ids)')
    .option('--locality <locality>')
    .option('--stage <stage>')
    .option('--status <status>')
    .option('--pending <party>', "projects waiting for this party's sign-off")
    .option('--category <category>')
    .option('--major <bool>', 'true or false')
    .option('--agent <id>')
    .option('--light <light>', 'green, yellow or red')
    .option('--push <status>', 'projects with a push in this status')
    .option('--year <year>', "calendar: the year whose schedule changed (this year by default)")
    .option('--no-wait', 'start it and print its id, without following it')
    .action((action: string, options: BatchOptions) => run((s) => batchCommand(s, action, options)));

  cli
    .command('batch-status')
    .description("a batch's progress, once")
    .argument('<batchId>')
    .option('--json', "print the API's answer")
    .action((id: string, options: { json?: boolean }) => run((s) => batchStatusCommand(s, id, options)));

  // Run by runReplay before commander sees it (its options are the replay command's own); listed for help.
  cli.command('replay').description('the replay check, as `npm run replay -- …` (same options and exit codes)').helpOption(false).allowUnknownOption().allowExcessArguments();
  return cli;
}

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'replay') return runReplay(argv.slice(1), `${NAME} replay`);
  let code = 2;
  const run = async (work: (s: Session) => Promise<number>) => {
    const s = session();
    try {
      code = await work(s);
    } finally {
      await s.close();
    }
  };
  try {
    await program(run).parseAsync(argv, { from: 'user' });
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode === 0 ? 0 : 2;
    if (err instanceof Refusal) {
      console.error(`refused: ${err.message}`);
      return 1;
    }
    if (err instanceof UsageProblem) {
      console.error(err.message);
      return 2;
    }
    throw err;
  }
  return code;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    const cause = err instanceof Error && err.cause instanceof Error ? `: ${err.cause.message}` : '';
    console.error(`ops failed: ${err instanceof Error ? err.message : String(err)}${cause}`);
    process.exit(2);
  },
);
