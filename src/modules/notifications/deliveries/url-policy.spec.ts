import { isPrivateAddress, notificationUrlProblem, publicOnlyLookup } from './url-policy';

describe('notificationUrlProblem', () => {
  it('takes a public https URL in production and anything http(s) when http is allowed', () => {
    expect(notificationUrlProblem('https://hooks.example.com/avvyr?x=1', false)).toBeUndefined();
    expect(notificationUrlProblem('http://127.0.0.1:3000/sandbox/receiver', true)).toBeUndefined();
  });

  it.each([
    ['http://hooks.example.com/', 'https'],
    ['https://localhost/hook', 'loopback'],
    ['https://127.0.0.1/hook', 'loopback'],
    ['https://10.1.2.3/hook', 'private'],
    ['https://169.254.169.254/latest/meta-data', 'link-local'],
    ['https://[::1]/hook', 'loopback'],
    ['https://[::ffff:127.0.0.1]/hook', 'loopback'],
    ['https://[fd00::1]/hook', 'private'],
  ])('refuses %s without NOTIFICATIONS_ALLOW_HTTP', (url, word) => {
    expect(notificationUrlProblem(url, false)).toContain(word);
  });

  it.each([
    ['not a url', 'absolute'],
    ['ftp://example.com/x', 'http(s)'],
    ['https://user:pw@example.com/', 'credentials'],
  ])('refuses %s in any case', (url, word) => {
    expect(notificationUrlProblem(url, true)).toContain(word);
  });

  it('knows private from public addresses', () => {
    expect(isPrivateAddress('192.168.1.10')).toBe(true);
    expect(isPrivateAddress('8.8.8.8')).toBe(false);
    expect(isPrivateAddress('2606:4700::1111')).toBe(false);
    expect(isPrivateAddress('example.com')).toBe(false);
  });

  it('refuses to connect to a name that resolves to a private address', async () => {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) =>
      publicOnlyLookup('localhost', {}, (err) => resolve(err)),
    );
    expect(error?.message).toContain('private address');
  });
});
