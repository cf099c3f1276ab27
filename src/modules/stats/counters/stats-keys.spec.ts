import { bucketIndex, bucketKey, errorField, parseField, statusField } from './stats-keys';

describe('stats keys', () => {
  const dims = { source: 'inbound', action: 'inventory.set', integrationId: 'int|1' };

  it('puts the account in the hash tag, so its buckets share a Cluster slot', () => {
    expect(bucketKey('avvyr', 'acc-1', 'm', 42)).toBe('avvyr:stats:{acc-1}:m:42');
  });

  it('numbers buckets by epoch minute and hour', () => {
    const at = Date.UTC(2026, 0, 1, 10, 30, 59);
    expect(bucketIndex('m', at)).toBe(Math.floor(at / 60_000));
    expect(bucketIndex('h', at)).toBe(Math.floor(at / 3_600_000));
  });

  it('reads back every field it writes, even with a | in an id', () => {
    expect(parseField(statusField('failed', dims))).toEqual({
      kind: 's',
      status: 'failed',
      ...dims,
    });
    expect(parseField(errorField('AVVYR_HTTP_422', dims))).toEqual({
      kind: 'e',
      code: 'AVVYR_HTTP_422',
      ...dims,
    });
  });

  it('ignores fields it does not know', () => {
    expect(parseField('s|unknown|a|b|c')).toBeUndefined();
    expect(parseField('x|y')).toBeUndefined();
  });
});
