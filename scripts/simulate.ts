// `npm run simulate -- jinshan-2021`: replays the district's 2021 caseload through the real system on the
// time-skipping server and prints the statistics table from the record next to the seed's. Exits 1 if
// they differ.
import { SEED_TABLE, jinshan2021Cases } from '../simulation/jinshan-2021';
import { formatTable, simulate } from '../simulation/run';

const SCENARIOS: Record<string, () => ReturnType<typeof jinshan2021Cases>> = { 'jinshan-2021': jinshan2021Cases };

async function main(): Promise<void> {
  const name = process.argv[2] ?? 'jinshan-2021';
  const scenario = SCENARIOS[name];
  if (!scenario) {
    console.error(`unknown scenario ${name}; known: ${Object.keys(SCENARIOS).join(', ')}`);
    process.exit(2);
  }
  const result = await simulate(scenario(), { progress: process.stderr.isTTY });
  console.log(formatTable(result, SEED_TABLE));
  const matches = SEED_TABLE.every((s) => {
    const got = result.stages.find((r) => r.stage === s.stage);
    return got?.decided === s.cases && got.averageWorkingDays === s.averageWorkingDays;
  });
  console.log(matches ? 'the table reproduces the seed' : 'the table does NOT reproduce the seed');
  process.exit(matches ? 0 : 1);
}

main().catch((err) => {
  console.error('simulation failed:', err);
  process.exit(1);
});
