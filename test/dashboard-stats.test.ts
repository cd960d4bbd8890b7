// The dashboard's reading of GET /api/stats, without a browser: the figures it shows are taken as they
// come, anything it does not know (fields the statistics may gain, unknown stages or localities) is left
// aside, and a malformed answer shows nothing rather than breaking the page.
import { readStats } from '../web/src/pages/dashboard-stats';

const design = { stage: 'design', decided: 3, averageWorkingDays: 11.5, medianWorkingDays: 12, exceeded: 1 };

test('the figures per stage and per locality are read as the API gives them; extra fields are ignored', () => {
  const answer = {
    from: '2026-01-01',
    to: '2026-12-31',
    asOf: '2026-11-28T00:00:00.000Z',
    decided: 3,
    stages: [{ ...design, open: 4, limitDays: 15 }, { stage: 'permit', decided: 0, averageWorkingDays: null, medianWorkingDays: null, exceeded: 0 }, { stage: 'review', decided: 9 }],
    byLocality: [{ locality: 'zhujing', stages: [design] }, { locality: 'atlantis', stages: [design] }],
  };
  expect(readStats(answer)).toEqual({
    stages: [{ ...design, limitDays: 15 }, { stage: 'permit', decided: 0, averageWorkingDays: null, medianWorkingDays: null, exceeded: 0 }],
    byLocality: [{ locality: 'zhujing', stages: [design] }],
  });
});

test('a malformed answer reads as no figures', () => {
  for (const answer of [null, 'oops', 42, { stages: 'x', byLocality: {} }, { stages: [{ stage: 'design', decided: 'many', averageWorkingDays: 'NaN' }] }]) {
    const read = readStats(answer);
    expect(read.byLocality).toEqual([]);
    for (const s of read.stages) expect(s).toEqual({ stage: 'design', decided: 0, averageWorkingDays: null, medianWorkingDays: null, exceeded: 0 });
  }
});

