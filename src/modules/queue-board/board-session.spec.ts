import { loadEnv } from '../../config/env';
import { ManagementTokenService } from '../integrations';
import { BOARD_COOKIE, BoardSession, readCookie } from './board-session';
import { safeNext } from './sign-in.page';

describe('BoardSession', () => {
  const tokens = new ManagementTokenService(loadEnv({}));
  const sut = new BoardSession(tokens);
  const principal = { sub: 'ops', accountId: 'acc-1', roles: ['operator'] };

  it('keeps the token in an httpOnly, SameSite=Strict cookie that lives as long as the token', async () => {
    const token = await tokens.sign(principal, '1h');
    const cookie = sut.cookieFor(token, false);
    expect(cookie).toMatch(
      new RegExp(
        `^${BOARD_COOKIE}=[^;]+; Path=/queues; Max-Age=(3599|3600); HttpOnly; SameSite=Strict$`,
      ),
    );
    expect(sut.cookieFor(token, true)).toMatch(/; Secure$/);
  });

  it('never keeps a session longer than 12 hours, whatever the token says', async () => {
    const token = await tokens.sign(principal, '30d');
    expect(sut.cookieFor(token, false)).toContain('Max-Age=43200;');
  });

  it('finds the principal of a valid session cookie among other cookies, and nothing otherwise', async () => {
    const token = await tokens.sign(principal, '1h');
    const header = `theme=dark; ${sut.cookieFor(token, false).split(';')[0]}; other=1`;
    await expect(sut.principalOf(header)).resolves.toEqual(principal);
    await expect(sut.principalOf(`${BOARD_COOKIE}=not-a-jwt`)).resolves.toBeUndefined();
    await expect(sut.principalOf(undefined)).resolves.toBeUndefined();
    const accountUser = await tokens.sign({ sub: 'u', accountId: 'acc-1' }, '1h');
    await expect(sut.principalOf(`${BOARD_COOKIE}=${accountUser}`)).resolves.toBeUndefined();
    const expired = await tokens.sign(principal, '-1m');
    await expect(sut.principalOf(`${BOARD_COOKIE}=${expired}`)).resolves.toBeUndefined();
  });

  it('clears the cookie on sign-out', () => {
    expect(sut.clearedCookie(false)).toBe(
      `${BOARD_COOKIE}=; Path=/queues; Max-Age=0; HttpOnly; SameSite=Strict`,
    );
  });
});

describe('readCookie', () => {
  it('reads one cookie by exact name and decodes it', () => {
    expect(readCookie('a=1; ab=2; b=x%3Dy', 'b')).toBe('x=y');
    expect(readCookie('ab=2', 'a')).toBeUndefined();
    expect(readCookie('a=%E0%A4%A', 'a')).toBeUndefined();
  });
});

describe('safeNext', () => {
  it('goes back to a page of the board, never elsewhere', () => {
    expect(safeNext('/queues/queue/inbound')).toBe('/queues/queue/inbound');
    for (const next of ['https://example.com', '//evil.example/queues', '/dashboard', undefined]) {
      expect(safeNext(next)).toBe('/queues');
    }
  });
});
