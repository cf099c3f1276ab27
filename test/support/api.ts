import { http, waitFor } from './http';
import type { TestService } from './test-service';

/** What a user of the service does, in a few calls. */
export class Api {
  constructor(
    readonly service: TestService,
    readonly managementToken: string,
  ) {}

  /** `operator` tokens may also open Bull Board (every account's jobs). */
  static async forAccount(
    service: TestService,
    accountId: string,
    options: { operator?: boolean } = {},
  ): Promise<Api> {
    return new Api(service, await service.token(accountId, options));
  }

  createIntegration(body: Record<string, unknown> = {}) {
    return http(`${this.service.url}/v1/integrations/`, {
      token: this.managementToken,
      body: { service: 'custom', enabled: true, name: 'My ERP Sync', ...body },
    });
  }

  async newCustomIntegration(): Promise<{ id: string; apiKey: string }> {
    const created = await this.createIntegration();
    if (created.status !== 201) throw new Error(`create failed: ${JSON.stringify(created.body)}`);
    return created.body;
  }

  send(apiKey: string | undefined, body: unknown, headers: Record<string, string> = {}) {
    return http(`${this.service.url}/integrations/custom/inbound`, {
      token: apiKey,
      body,
      headers,
    });
  }

  event(messageId: string) {
    return http(`${this.service.url}/v1/integrations/events/${messageId}`, {
      token: this.managementToken,
    });
  }

  filter(body: Record<string, unknown>) {
    return http(`${this.service.url}/v1/integrations/events/filter`, {
      token: this.managementToken,
      body,
    });
  }

  retry(messageId: string) {
    return http(`${this.service.url}/v1/integrations/events/${messageId}/retry`, {
      method: 'POST',
      token: this.managementToken,
    });
  }

  async waitForStatus(messageId: string, status: string | string[], timeoutMs = 20_000) {
    const wanted = [status].flat();
    const result = await waitFor(
      () => this.event(messageId),
      (r) => r.status === 200 && wanted.includes(r.body.status),
      { timeoutMs, what: `event ${messageId} to be ${wanted.join('|')}` },
    );
    return result.body;
  }

  /**
   * Until the event is `failed` and its job is in BullMQ's failed set: the event says failed a
   * moment before BullMQ has moved the job, and a manual retry in between is refused (409).
   */
  async waitUntilFailed(messageId: string, timeoutMs = 30_000) {
    const event = await this.waitForStatus(messageId, 'failed', timeoutMs);
    // A message's source names its queue (inbound, avasam).
    await waitFor(
      () => this.service.jobState(event.source, messageId),
      (state) => state === 'failed',
      { what: `job ${messageId} to be failed in the queue` },
    );
    return event;
  }

  sandboxState() {
    return http(`${this.service.url}/sandbox/avvyr/state`).then((r) => r.body);
  }

  injectFault(fault: {
    action?: string;
    status: number;
    times: number;
    retryAfterSeconds?: number;
  }) {
    return http(`${this.service.url}/sandbox/avvyr/faults`, { body: fault });
  }
}
