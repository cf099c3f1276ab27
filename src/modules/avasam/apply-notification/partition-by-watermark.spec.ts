import { partitionByWatermark } from './partition-by-watermark';

const at = (iso: string) => new Date(iso);
const item = (sku: string, value: number, updatedOn: string) => ({
  sku,
  value,
  updatedOn: at(updatedOn),
});

describe('partitionByWatermark', () => {
  it('applies everything when no watermark exists', () => {
    const sut = partitionByWatermark([item('A', 1, '2024-01-01T10:00:00Z')], new Map());
    expect(sut.fresh.map((i) => i.sku)).toEqual(['A']);
    expect(sut.superseded).toEqual([]);
  });

  it('supersedes an item strictly older than what was applied', () => {
    const sut = partitionByWatermark(
      [item('A', 1, '2024-01-01T09:00:00Z'), item('B', 2, '2024-01-01T11:00:00Z')],
      new Map([
        ['A', at('2024-01-01T10:00:00Z')],
        ['B', at('2024-01-01T10:00:00Z')],
      ]),
    );
    expect(sut.fresh.map((i) => i.sku)).toEqual(['B']);
    expect(sut.superseded).toEqual([
      {
        sku: 'A',
        updatedOn: '2024-01-01T09:00:00.000Z',
        newerUpdatedOn: '2024-01-01T10:00:00.000Z',
      },
    ]);
  });

  it('applies an item equal to the watermark again (a retry of the same message)', () => {
    const sut = partitionByWatermark(
      [item('A', 1, '2024-01-01T10:00:00Z')],
      new Map([['A', at('2024-01-01T10:00:00Z')]]),
    );
    expect(sut.fresh).toHaveLength(1);
    expect(sut.superseded).toEqual([]);
  });

  it('keeps only the latest change of a SKU within one notification (last wins a tie)', () => {
    const sut = partitionByWatermark(
      [
        item('A', 5, '2024-01-01T10:00:00Z'),
        item('A', 3, '2024-01-01T08:00:00Z'),
        item('B', 1, '2024-01-01T10:00:00Z'),
        item('B', 2, '2024-01-01T10:00:00Z'),
      ],
      new Map(),
    );
    expect(sut.fresh.map((i) => [i.sku, i.value])).toEqual([
      ['A', 5],
      ['B', 2],
    ]);
    expect(sut.superseded.map((i) => i.sku)).toEqual(['A', 'B']);
  });
});
