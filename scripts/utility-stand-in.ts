// A stand-in for the utility companies' systems, for docker-compose demonstrations: receives pushed
// projects at POST /<company> and lists them at GET /. Runs on the compose network only (no published
// port); the API never serves it in production.
import express from 'express';
import { devUtilityInbox } from '../api/dev-utility-inbox';
import { errorHandler } from '../api/errors';
import { listen } from '../api/listen';

async function main(): Promise<void> {
  const app = express();
  app.use(express.json({ limit: '256kb' }));
  app.use('/', devUtilityInbox());
  app.use(errorHandler);
  const port = Number(process.env.PORT ?? 4000);
  const server = await listen(app, port, '0.0.0.0');
  console.log(`utility stand-in listening on ${server.port}`);
  const stop = () => void server.close();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err) => {
  console.error('utility stand-in failed:', err);
  process.exit(1);
});
