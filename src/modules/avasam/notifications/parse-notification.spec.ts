import { ValidationFailedError } from '../../../common/errors';
import { notificationItems, parseNotification } from './parse-notification';

function errorsOf(run: () => unknown) {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationFailedError) return error.errors;
    throw error;
  }
  throw new Error('no validation error');
}

describe('parseNotification', () => {
  const envelope = { requestId: 'req-1', on: '2024-05-01T10:00:02Z', token: 'x.y.z' };

  it('keeps a valid stock body without its token, dropping fields Avasam may add', () => {
    const sut = parseNotification('stock', {
      ...envelope,
      extra: true,
      data: [{ sku: 'A', quantity: 3, updatedOn: '2024-05-01T10:00:00Z', warehouse: 'x' }],
    });
    expect(sut).toEqual({
      requestId: 'req-1',
      on: '2024-05-01T10:00:02Z',
      data: [{ sku: 'A', quantity: 3, updatedOn: '2024-05-01T10:00:00Z' }],
    });
  });

  it('is a 400, never a TypeError, for objects with Object.prototype names where text belongs', () => {
    const item = { sku: 'A', quantity: 1, updatedOn: '2024-05-01T10:00:00Z' };
    const odd = { constructor: 'x', toString: 'y' };
    for (const kind of ['stock', 'price'] as const) {
      for (const [body, path] of [
        [{ ...envelope, on: odd, data: [item] }, 'on'],
        [{ ...envelope, requestId: odd, data: [item] }, 'requestId'],
        [{ ...envelope, data: [{ ...item, sku: odd }] }, 'data[0].sku'],
      ] as const) {
        expect(errorsOf(() => parseNotification(kind, body)).map((e) => e.path)).toContain(path);
      }
    }
    // As keys they are fields Avasam does not send: dropped like any other.
    expect(
      parseNotification('stock', { ...envelope, constructor: 'x', data: [{ ...item, ...odd }] }),
    ).toEqual({ requestId: 'req-1', on: '2024-05-01T10:00:02Z', data: [item] });
  });

  it('keeps `on` as sent: it is never used to decide anything', () => {
    expect(parseNotification('stock', { requestId: 'r', on: '01/05/2024 10:00' }).on).toBe(
      '01/05/2024 10:00',
    );
  });

  it('treats a missing or null data as an empty (test) notification', () => {
    expect(parseNotification('stock', { requestId: 'r' }).data).toEqual([]);
    expect(parseNotification('price', { requestId: 'r', data: null }).data).toEqual([]);
  });

  it('reports every failing path at once', () => {
    const errors = errorsOf(() =>
      parseNotification('stock', {
        data: [{ sku: '', quantity: -1, updatedOn: 'soon' }, 'x'],
      }),
    );
    expect(errors.map((e) => e.path)).toEqual(
      expect.arrayContaining([
        'requestId',
        'data[0].sku',
        'data[0].quantity',
        'data[0].updatedOn',
        'data[1]',
      ]),
    );
  });

  it('wants exactly one of price, sellingPrice or costPrice per price item', () => {
    const errors = errorsOf(() =>
      parseNotification('price', {
        requestId: 'r',
        data: [
          { sku: 'A', updatedOn: '2024-05-01T10:00:00Z' },
          { sku: 'B', price: 1, costPrice: 2, updatedOn: '2024-05-01T10:00:00Z' },
          { sku: 'C', sellingPrice: 3, updatedOn: '2024-05-01T10:00:00Z' },
        ],
      }),
    );
    expect(errors.map((e) => e.path)).toEqual(['data[0]', 'data[1]']);
  });

  it('reduces items to sku, value and updatedOn', () => {
    const payload = parseNotification('price', {
      requestId: 'r',
      data: [{ sku: 'A', costPrice: 9.5, updatedOn: '2024-05-01T10:00:00' }],
    });
    expect(notificationItems('price', payload)).toEqual([
      { sku: 'A', value: 9.5, updatedOn: new Date('2024-05-01T10:00:00Z') },
    ]);
  });
});
