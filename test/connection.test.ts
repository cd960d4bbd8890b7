// The API's gRPC retries (temporal/connection.ts): a query refused because the workflow's one-query buffer
// is taken is asked again within tens of milliseconds; anything else backs off as the SDK does.
import { defaultGrpcRetryOptions, type GrpcRetryOptions } from '@temporalio/client';
import { clientRetryOptions } from '../temporal/connection';

type Status = Parameters<GrpcRetryOptions['delayFunction']>[1];
// The retry decisions read the code and the details only.
const status = (code: number, details: string): Status => ({ code, details, metadata: undefined as never });
// What Temporal Server 1.32 answered a project read sent while the project's workflow task was in flight.
const busyQuery = status(8, 'consistent query buffer is full, this may be caused by too many queries and workflow not able to process query fast enough');
const overloaded = status(8, 'namespace rate limit exceeded');
const unavailable = status(14, 'connection refused');

test('a query refused for a busy workflow is retried within tens of milliseconds, and still retried', () => {
  const options = clientRetryOptions();
  expect(options.retryableDecider(1, busyQuery)).toBe(true);
  const delays = [1, 2, 3].map((attempt) => options.delayFunction(attempt, busyQuery));
  expect(delays[0]).toBeLessThan(50);
  // Backing off still, so a workflow whose task takes longer is not hammered.
  expect(delays[2]).toBeGreaterThan(delays[0] as number);
  expect(delays[2]).toBeLessThan(150);
});

test('any other refusal backs off as the SDK does: a second or more for an overloaded server', () => {
  const ours = clientRetryOptions();
  const sdk = defaultGrpcRetryOptions();
  expect(ours.delayFunction(1, overloaded)).toBeGreaterThanOrEqual(1_300);
  for (const s of [overloaded, unavailable]) {
    // Jitter is ±20 %: compare against the SDK's bounds, not one draw.
    const mean = (f: typeof sdk.delayFunction) => Array.from({ length: 200 }, () => f(2, s)).reduce((a, b) => a + b) / 200;
    expect(Math.abs(mean(ours.delayFunction) / mean(sdk.delayFunction) - 1)).toBeLessThan(0.1);
    expect(ours.retryableDecider(10, s)).toBe(sdk.retryableDecider(10, s));
  }
});
