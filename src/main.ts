import 'reflect-metadata';
import { InvalidConfigError, loadEnv } from './config/env';
import { startService } from './bootstrap';

async function main(): Promise<void> {
  let env;
  try {
    env = loadEnv(process.env);
  } catch (error) {
    if (error instanceof InvalidConfigError) {
      // One clear line naming every bad setting, then stop.
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  await startService(env);
}

main().catch((error: unknown) => {
  console.error('Start-up failed:', error instanceof Error ? error.message : error);
  process.exit(1);
});
