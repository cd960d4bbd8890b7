// `npm run replay -- …`: replays real projects' histories against workflow code, to learn whether the code
// takes the path the projects took — before a deploy, against the new release's workflows (--workflows).
//
//   npm run replay -- history.json…                 files: `temporal workflow show --output json`, saved fixtures
//   npm run replay -- --workflow-id project-<id>    live projects (repeatable)
//   npm run replay -- --query "ProjectStatus='correction'" [--limit N]   the projects a visibility query finds
//   npm run replay -- --sample N                    N open projects (ExecutionStatus='Running')
//   … --workflows <folder>                          against a candidate build instead of the current code
//
// One line per history, `OK <workflow id>` or `FAIL <workflow id> — <error> (first diverging event …)`, then
// a summary. Exit 0: all replayed; 1: some did not; 2: the check could not be made (usage, connection, a
// history that could not be fetched). Temporal is reached as the service reaches it (TEMPORAL_ADDRESS, …).
import { runReplay } from './replay-command';

void runReplay(process.argv.slice(2)).then((code) => process.exit(code));
