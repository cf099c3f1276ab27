import { validateInboundBody } from './inbound-body.validator';
import { messageIdForKey } from './accept-message.handler';

describe('validateInboundBody', () => {
  it('returns the message for a valid body', () => {
    const body = {
      action: 'price.set',
      entityId: 'SKU-1',
      data: { items: [{ sku: 'A', costPrice: 1 }] },
    };
    expect(validateInboundBody(body)).toEqual(body);
  });

  it('reports nested paths with indexes', () => {
    expect(() =>
      validateInboundBody({
        action: 'inventory.set',
        data: {
          items: [
            { sku: 'A', quantity: 1 },
            { sku: 'B', quantity: 'many' },
          ],
        },
      }),
    ).toThrow(
      expect.objectContaining({
        errors: expect.arrayContaining([
          { path: 'data.items[1].quantity', message: expect.stringContaining('integer') },
        ]),
      }),
    );
  });

  it('refuses non-object bodies and data', () => {
    expect(() => validateInboundBody([1])).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }),
    );
    expect(() => validateInboundBody({ action: 'price.set', data: 'x' })).toThrow(
      expect.objectContaining({ errors: [{ path: 'data', message: 'data must be an object' }] }),
    );
  });

  it('answers UNKNOWN_ACTION for an unsupported action', () => {
    expect(() => validateInboundBody({ action: 'x.y', data: {} })).toThrow(
      expect.objectContaining({ code: 'UNKNOWN_ACTION' }),
    );
  });

  it('never serialises a non-string action, nor echoes a long one in full', () => {
    // A 20,000-deep array went through JSON.stringify here (a 500 RangeError before the
    // parser refused deep bodies); whatever reaches the validator, it is not serialised.
    let deep: unknown = 1;
    for (let i = 0; i < 20_000; i++) deep = [deep];
    for (const action of [deep, { a: 1 }, 42, true]) {
      expect(() => validateInboundBody({ action, data: {} })).toThrow(
        expect.objectContaining({
          code: 'VALIDATION_FAILED',
          errors: [{ path: 'action', message: expect.stringMatching(/^action must be a string/) }],
        }),
      );
    }
    let error: any;
    try {
      validateInboundBody({ action: 'x'.repeat(10_000), data: {} });
    } catch (thrown) {
      error = thrown;
    }
    expect(error.code).toBe('UNKNOWN_ACTION');
    expect(error.message.length).toBeLessThan(400);
  });
});

describe('messageIdForKey', () => {
  it('is stable per integration and key, and differs across integrations', () => {
    const sut = messageIdForKey('int-1', 'k');
    expect(sut).toBe(messageIdForKey('int-1', 'k'));
    expect(sut).not.toBe(messageIdForKey('int-2', 'k'));
    expect(sut).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
