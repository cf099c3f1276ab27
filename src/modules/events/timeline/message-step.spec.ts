import { MessageStatus, statusRank } from './message-step';

describe('statusRank', () => {
  const rank = (run: number, attempt: number, status: MessageStatus) =>
    statusRank({ run, attempt, status });

  it('orders one run: received < processing < retrying < next processing < terminal', () => {
    const sequence = [
      rank(0, 0, 'received'),
      rank(0, 1, 'processing'),
      rank(0, 1, 'retrying'),
      rank(0, 2, 'processing'),
      rank(0, 2, 'succeeded'),
    ];
    expect([...sequence].sort((a, b) => a - b)).toEqual(sequence);
  });

  it('a late step of an earlier attempt never outranks a later one', () => {
    expect(rank(0, 1, 'retrying')).toBeLessThan(rank(0, 2, 'processing'));
    expect(rank(0, 3, 'failed')).toBeLessThan(rank(1, 0, 'received'));
  });
});
