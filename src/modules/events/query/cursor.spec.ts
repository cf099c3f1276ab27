import { decodeCursor, encodeCursor } from './cursor';

describe('event cursor', () => {
  it('round-trips the sort key', () => {
    const cursor = { receivedAt: new Date('2026-11-29T10:00:00.123Z'), messageId: 'abc' };
    expect(decodeCursor(encodeCursor(cursor))).toEqual(cursor);
  });

  it('refuses garbage with a validation error on `cursor`', () => {
    expect(() => decodeCursor('not-a-cursor')).toThrow(
      expect.objectContaining({
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'cursor', message: 'cursor is not valid' }],
      }),
    );
  });
});
