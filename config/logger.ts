// One structured logger for every process (JSON lines; pipe through pino-pretty to read them).
import pino, { type Logger } from 'pino';
import type { Config } from './env';

export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>, name: string): Logger {
  // A person at a terminal gets readable lines; anything else (files, log collectors) gets JSON.
  const pretty = process.stdout.isTTY && config.NODE_ENV !== 'production';
  return pino({
    name,
    level: config.LOG_LEVEL,
    ...(pretty && { transport: { target: 'pino-pretty', options: { ignore: 'pid,hostname,req,res', translateTime: 'SYS:HH:MM:ss' } } }),
  });
}
