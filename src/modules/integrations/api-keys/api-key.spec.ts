import { createHash } from 'node:crypto';
import { API_KEY_PREFIX, displayPrefix, generateApiKey, hashApiKey } from './api-key';

describe('API keys', () => {
  it('are the prefix plus 256 random bits, never repeated', () => {
    const keys = new Set(Array.from({ length: 100 }, generateApiKey));
    expect(keys.size).toBe(100);
    for (const key of keys) {
      expect(key.startsWith(API_KEY_PREFIX)).toBe(true);
      expect(Buffer.from(key.slice(API_KEY_PREFIX.length), 'base64url')).toHaveLength(32);
    }
  });

  it('hash to SHA-256 hex and display only four characters of the secret part', () => {
    const key = generateApiKey();
    expect(hashApiKey(key)).toBe(createHash('sha256').update(key).digest('hex'));
    expect(displayPrefix(key)).toBe(`${key.slice(0, API_KEY_PREFIX.length + 4)}…`);
  });
});
