// The management API, called with the token the person signed in with (kept for this tab only).
const TOKEN_KEY = 'avvyr.managementToken';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem?.detail ?? `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

let onSignedOut = () => {};

export const session = {
  token: () => sessionStorage.getItem(TOKEN_KEY),
  /** What the token says about who is signed in (for display; the server verifies it). */
  principal() {
    const token = session.token();
    if (!token) return null;
    try {
      const part = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(part));
    } catch {
      return null;
    }
  },
  onSignedOut(listener) {
    onSignedOut = listener;
  },
  /** Bull Board shows every account's jobs: only operator tokens may open it. */
  isOperator: () => session.principal()?.roles?.includes('operator') ?? false,
  /**
   * Verifies the token with the API and keeps it; an operator token also opens a Bull Board
   * session (an ordinary one would only be refused there with a 403).
   */
  async signIn(token) {
    await request('/v1/integrations', { token });
    sessionStorage.setItem(TOKEN_KEY, token);
    if (!session.isOperator()) return;
    await fetch('/queues/sign-in', {
      method: 'POST',
      body: new URLSearchParams({ token }),
      redirect: 'manual',
    }).catch(() => undefined);
  },
  async signOut(reason) {
    sessionStorage.removeItem(TOKEN_KEY);
    await fetch('/queues/sign-out', { redirect: 'manual' }).catch(() => undefined);
    onSignedOut(reason);
  },
};

async function request(path, { method = 'GET', body, token = session.token() } = {}) {
  const headers = token ? { authorization: `Bearer ${token}` } : {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let data = null;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = { detail: text };
  }
  if (!response.ok) throw new ApiError(response.status, data);
  return data;
}

/** Like request, but an expired or revoked token signs the person out. */
async function call(path, options) {
  try {
    return await request(path, options);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401 && session.token()) {
      await session.signOut(
        error.problem?.code === 'MANAGEMENT_TOKEN_EXPIRED'
          ? 'Your management token has expired. Sign in with a new one.'
          : 'Your management token is no longer valid; sign in again.',
      );
    }
    throw error;
  }
}

const notifications = (id, rest = '') =>
  `/v1/integrations/${encodeURIComponent(id)}/notifications${rest}`;
const notificationsApi = {
  notificationSettings: (id) => call(notifications(id)),
  putNotificationSettings: (id, body) => call(notifications(id), { method: 'PUT', body }),
  deleteNotificationSettings: (id) => call(notifications(id), { method: 'DELETE' }),
  rotateNotificationSecret: (id) => call(notifications(id, '/rotate-secret'), { method: 'POST' }),
  testNotification: (id) => call(notifications(id, '/test'), { method: 'POST' }),
  notificationDeliveries: (id) => call(notifications(id, '/deliveries?limit=10')),
};

export const api = {
  integrations: () => call('/v1/integrations'),
  createIntegration: (body) => call('/v1/integrations', { method: 'POST', body }),
  updateIntegration: (id, body) =>
    call(`/v1/integrations/${encodeURIComponent(id)}`, { method: 'PATCH', body }),
  regenerateKey: (id, graceSeconds = 0) =>
    call(`/v1/integrations/${encodeURIComponent(id)}/regenerate-key`, {
      method: 'POST',
      body: { graceSeconds },
    }),
  stats: (window) => call(`/v1/integrations/events/stats?window=${encodeURIComponent(window)}`),
  actions: () => request('/dashboard/actions.json', { token: undefined }),
  events: (filter) => call('/v1/integrations/events/filter', { method: 'POST', body: filter }),
  event: (messageId) => call(`/v1/integrations/events/${encodeURIComponent(messageId)}`),
  retry: (messageId) =>
    call(`/v1/integrations/events/${encodeURIComponent(messageId)}/retry`, { method: 'POST' }),
  countReplay: (filter) =>
    call('/v1/integrations/events/retry', { method: 'POST', body: { ...filter, dryRun: true } }),
  startReplay: (filter) => call('/v1/integrations/events/retry', { method: 'POST', body: filter }),
  replay: (replayId) => call(`/v1/integrations/events/retries/${encodeURIComponent(replayId)}`),
  cancelReplay: (replayId) =>
    call(`/v1/integrations/events/retries/${encodeURIComponent(replayId)}`, { method: 'DELETE' }),
  ...notificationsApi,
};
