// An integration's failure notifications: where they go, which ones, the signing secret (shown
// once), a test delivery and the latest deliveries. Opened from its row on the Integrations page.
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { formatTime } from '../format.js';
import { CopyButton, ProblemMessage, useAction } from '../components.js';
import { hrefFor } from '../router.js';

const EVENTS = ['message.failed', 'message.succeeded', 'message.superseded'];
const POLL_MS = 2000;
const STATUS_CLASS = {
  succeeded: 'status-succeeded',
  failed: 'status-failed',
  pending: 'status-retrying',
};

/** The panel of the integration named in the URL (`#/integrations?notifications=<id>`). */
export function NotificationsSection({ integrations, integrationId }) {
  const integration = integrations?.find((i) => i.id === integrationId);
  if (!integration) return null;
  return html`<div class="card" id="notifications">
    <${NotificationsPanel} key=${integration.id} integration=${integration} />
    <a href=${hrefFor('/integrations')}>Close</a>
  </div>`;
}

function NotificationsPanel({ integration }) {
  const id = integration.id;
  // undefined: loading; null: none configured.
  const [settings, setSettings] = useState(undefined);
  const [form, setForm] = useState({ url: '', events: ['message.failed'] });
  const [secret, setSecret] = useState(null);
  const [deliveries, setDeliveries] = useState(null);
  const [testResult, setTestResult] = useState(null);
  const { busy, error, setError, run } = useAction();

  const loadDeliveries = () =>
    api
      .notificationDeliveries(id)
      .then((page) => setDeliveries(page.items))
      .catch(() => undefined);
  useEffect(() => {
    api
      .notificationSettings(id)
      .then((found) => {
        setSettings(found);
        setForm({ url: found.url, events: found.events });
      })
      .catch((failure) =>
        failure.problem?.code === 'NOTIFICATIONS_NOT_CONFIGURED'
          ? setSettings(null)
          : setError(failure),
      );
    void loadDeliveries();
    const timer = setInterval(loadDeliveries, POLL_MS);
    return () => clearInterval(timer);
  }, [id]);

  const shown = (answer) => {
    setSettings(answer);
    if (answer.secret) setSecret(answer.secret);
  };
  const save = (event) => {
    event.preventDefault();
    return run(async () => shown(await api.putNotificationSettings(id, form)));
  };
  const rotate = () => run(async () => shown(await api.rotateNotificationSecret(id)));
  const turnOff = () =>
    run(async () => {
      await api.deleteNotificationSettings(id);
      setSettings(null);
      setSecret(null);
      setTestResult(null);
    });
  const sendTest = () =>
    run(async () => {
      setTestResult(await api.testNotification(id));
      await loadDeliveries();
    });
  const toggle = (type) => (e) =>
    setForm({
      ...form,
      events: e.currentTarget.checked
        ? EVENTS.filter((t) => t === type || form.events.includes(t))
        : form.events.filter((t) => t !== type),
    });

  if (settings === undefined && !error) return html`<p class="muted">Loading notifications…</p>`;
  return html`<section class="notifications" aria-labelledby="notifications-title">
    <h2 id="notifications-title">Notifications of “${integration.name}”</h2>
    <p class="muted small">
      Signed deliveries (Standard Webhooks) of what happens to this integration's messages.
    </p>
    <${ProblemMessage} error=${error} />
    ${
      secret &&
      html`<div class="alert success new-key" role="status">
        <p>
          <strong>Signing secret.</strong> It is shown only now: store it where your receiver
          verifies signatures.
        </p>
        <p class="key-line">
          <code class="notification-secret" spellcheck=${false}>${secret}</code>
          <${CopyButton} text=${secret} />
        </p>
        <button type="button" class="secondary small" onClick=${() => setSecret(null)}>
          I have stored it
        </button>
      </div>`
    }
    <form class="fields" onSubmit=${save}>
      <label
        >Notification URL
        <input
          name="url"
          type="url"
          required
          spellcheck=${false}
          value=${form.url}
          placeholder="https://erp.example.com/hooks/avvyr"
          onInput=${(e) => setForm({ ...form, url: e.currentTarget.value })}
      /></label>
      <fieldset>
        <legend>Send</legend>
        ${EVENTS.map(
          (type) =>
            html`<label class="inline" key=${type}
              ><input
                type="checkbox"
                checked=${form.events.includes(type)}
                onChange=${toggle(type)}
              />
              ${type}</label
            >`,
        )}
      </fieldset>
      <div class="actions">
        <button type="submit" disabled=${busy || form.events.length === 0}>
          ${settings ? 'Save notifications' : 'Turn on notifications'}
        </button>
        ${
          settings &&
          html`<button type="button" class="secondary small" disabled=${busy} onClick=${sendTest}>
              Send test
            </button>
            <button type="button" class="secondary small" disabled=${busy} onClick=${rotate}>
              Rotate secret
            </button>
            <button type="button" class="danger small" disabled=${busy} onClick=${turnOff}>
              Turn off
            </button>`
        }
      </div>
    </form>
    ${settings && html`<p class="small muted">Secret <code>${settings.secretPrefix}…</code></p>`}
    ${
      testResult &&
      html`<p class="test-result" role="status">
        Test delivery
        <span class=${`badge ${STATUS_CLASS[testResult.status]}`}>${testResult.status}</span>
        ${answerOf(testResult)}
      </p>`
    }
    <${DeliveriesTable} deliveries=${deliveries} />
  </section>`;
}

function answerOf(delivery) {
  const last = delivery.lastResponse;
  if (!last) return '—';
  return last.status !== undefined ? `HTTP ${last.status}` : last.error;
}

function DeliveriesTable({ deliveries }) {
  if (!deliveries) return null;
  if (deliveries.length === 0) return html`<p class="muted small">No deliveries yet.</p>`;
  return html`<div class="table-wrap">
    <table class="list deliveries">
      <caption class="visually-hidden">
        Latest notification deliveries
      </caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Type</th>
          <th scope="col">Status</th>
          <th scope="col">Attempts</th>
          <th scope="col">Last answer</th>
          <th scope="col">Message</th>
        </tr>
      </thead>
      <tbody>
        ${deliveries.map(
          (d) =>
            html`<tr key=${d.id} data-delivery-id=${d.id}>
              <td class="small">${formatTime(d.createdAt, { ms: false })}</td>
              <td>${d.type}</td>
              <td><span class=${`badge ${STATUS_CLASS[d.status]}`}>${d.status}</span></td>
              <td class="number">${d.attempts} / ${d.maxAttempts}</td>
              <td class="small">${answerOf(d)}</td>
              <td class="small mono">
                ${d.messageId ? html`<a href=${hrefFor(`/events/${d.messageId}`)}>${d.messageId}</a>` : '—'}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
