import type { Env } from '../../../config/env';
import { WebhookSender } from './webhook-sender';

describe('WebhookSender outside local runs', () => {
  const sut = new WebhookSender({
    notificationsAllowHttp: false,
    NOTIFICATIONS_TIMEOUT_MS: 2000,
  } as Env);
  afterAll(() => sut.onApplicationShutdown());

  it('does not connect to a name that resolves to a private address', async () => {
    const secret = `whsec_${Buffer.from('k'.repeat(32)).toString('base64')}`;
    const outcome = await sut.send('https://localhost:9/hook', secret, 'msg_x', { type: 't' });
    expect(outcome.ok).toBe(false);
    expect(outcome.response.error).toContain('a private address notifications may not reach');
  });
});
