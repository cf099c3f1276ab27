// Prints a management token signed with MANAGEMENT_JWT_SECRET (or the local default).
// Usage: npm run token -- --account <accountId> [--sub <subject>] [--expires 12h] [--operator]
import { signManagementToken } from '../src/modules/integrations/auth/management-token.service';
import { loadEnv } from '../src/config/env';

function arg(name: string, fallback?: string): string | undefined {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? process.argv[index + 1] : fallback;
}

async function main(): Promise<void> {
  const env = loadEnv(process.env);
  const accountId = arg('account');
  if (!accountId) {
    console.error(
      'usage: npm run token -- --account <accountId> [--sub <subject>] [--expires 12h] [--operator]',
    );
    process.exit(2);
  }
  const key = new TextEncoder().encode(env.MANAGEMENT_JWT_SECRET);
  const token = await signManagementToken(
    key,
    {
      sub: arg('sub', 'local-user')!,
      accountId,
      // --operator: may open Bull Board, which shows every account's jobs.
      roles: process.argv.includes('--operator') ? ['operator'] : [],
    },
    arg('expires', '12h')!,
  );
  console.log(token);
}

void main();
