import { parseAvasamDate } from './avasam-date';

describe('parseAvasamDate', () => {
  it.each([
    ['2021-12-22T17:36:19.8066912+00:00', '2021-12-22T17:36:19.806Z'],
    ['2024-05-01T10:00:00Z', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T12:00:00+02:00', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T12:00:00+0200', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T10:00:00', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T10:00', '2024-05-01T10:00:00.000Z'],
  ])('reads %s as %s (no offset means UTC)', (value, iso) => {
    expect(parseAvasamDate(value)?.toISOString()).toBe(iso);
  });

  it.each(['', 'yesterday', '2024-13-01T10:00:00Z', '2024-05-01', 1714557600000, null])(
    'refuses %p',
    (value) => {
      expect(parseAvasamDate(value)).toBeUndefined();
    },
  );
});
