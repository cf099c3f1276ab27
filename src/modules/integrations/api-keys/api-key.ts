import { createHash, randomBytes } from 'node:crypto';

export const API_KEY_PREFIX = 'avvyr_int_live_';

/** A new API key: the fixed prefix and 256 random bits, base64url. */
export function generateApiKey(): string {
  return API_KEY_PREFIX + randomBytes(32).toString('base64url');
}

export function hashApiKey(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex');
}

/** Enough of the key for a person to recognise it, far too little to use it. */
export function displayPrefix(apiKey: string): string {
  return `${apiKey.slice(0, API_KEY_PREFIX.length + 4)}…`;
}
