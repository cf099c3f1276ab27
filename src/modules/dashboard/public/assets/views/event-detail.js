import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api, session } from '../api.js';
import { formatTime } from '../format.js';
import {
  CopyButton,
  FINAL_STATUSES,
  JsonBlock,
  ProblemMessage,
  StatusBadge,
  StepErrorDetails,
} from '../components.js';
import { hrefFor } from '../router.js';

/** How often an event still in flight is read again, so its status is shown live. */
const LIVE_INTERVAL_MS = 1000;

export function EventDetailView({ messageId }) {
  const [event, setEvent] = useState(null);
  const [error, setError] = useState(null);
  const [retryError, setRetryError] = useState(null);
  const [retrying, setRetrying] = useState(false);
  const [integrations, setIntegrations] = useState([]);

  const load = () =>
    api
      .event(messageId)
      .then((loaded) => {
        setEvent(loaded);
        setError(null);
      })
      .catch(setError);

  useEffect(() => {
    setEvent(null);
    void load();
    api
      .integrations()
      .then(setIntegrations)
      .catch(() => undefined);
  }, [messageId]);

  // While the message is in flight, follow it: received → processing → succeeded | failed.
  const live = event !== null && !FINAL_STATUSES.includes(event.status);
  useEffect(() => {
    if (!live) return undefined;
    const timer = setInterval(() => void load(), LIVE_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [live, messageId]);

  const retry = async () => {
    setRetrying(true);
    setRetryError(null);
    try {
      const accepted = await api.retry(messageId);
      setEvent({ ...event, status: accepted.status });
      await load();
    } catch (failure) {
      setRetryError(failure);
    } finally {
      setRetrying(false);
    }
  };

  if (error) {
    return html`<main id="main" tabindex="-1">
      <p><a href=${hrefFor('/events')}>← Events</a></p>
      <${ProblemMessage} error=${error} />
    </main>`;
  }
  if (!event) {
    return html`<main id="main" tabindex="-1"><p class="muted" role="status">Loading…</p></main>`;
  }

  const integration = integrations.find((i) => i.id === event.integrationId);
  return html`<main class="event-detail" id="main" tabindex="-1">
    <p><a href=${hrefFor('/events')}>← Events</a></p>
    <header class="event-header">
      <h1>${event.action}</h1>
      <span id="event-status" role="status" aria-live="polite" aria-atomic="true"
        ><span class="visually-hidden">Status: </span><${StatusBadge} status=${event.status}
      /></span>
      ${live && html`<span class="live" title="Updating every second">● live</span>`}
      ${
        event.status === 'failed' &&
        html`<button type="button" id="retry" disabled=${retrying} onClick=${retry}>
          ${retrying ? 'Retrying…' : 'Retry'}
        </button>`
      }
    </header>
    <${ProblemMessage} error=${retryError} />

    <dl class="facts card">
      <dt>Message ID</dt>
      <dd><code>${event.messageId}</code> <${CopyButton} text=${event.messageId} /></dd>
      <dt>Integration</dt>
      <dd>
        ${integration && html`<strong>${integration.name}</strong> · `}
        <span class="muted mono">${event.integrationId}</span>
      </dd>
      <dt>Source</dt>
      <dd>${event.source}</dd>
      <dt>Entity ID</dt>
      <dd>${event.entityId ?? '—'}</dd>
      ${
        event.externalId &&
        html`<dt>External ID</dt>
          <dd>${event.externalId}</dd>`
      }
      <dt>Attempts</dt>
      <dd id="event-attempts">${event.attempts ?? 0}</dd>
      <dt>Received</dt>
      <dd>${formatTime(event.receivedAt)}</dd>
      <dt>Completed</dt>
      <dd>${formatTime(event.completedAt)}</dd>
      ${
        event.nextAttemptAt &&
        html`<dt>Next attempt</dt>
          <dd>${formatTime(event.nextAttemptAt)}</dd>`
      }
      <dt>Correlation ID</dt>
      <dd><code>${event.correlationId ?? '—'}</code></dd>
      ${
        session.isOperator() &&
        html`<dt>Queue job</dt>
          <dd>
            <a
              href=${`/queues/queue/${encodeURIComponent(event.source)}/${encodeURIComponent(event.messageId)}`}
              target="_blank"
              rel="noopener"
              >Open in Bull Board ↗</a
            >
          </dd>`
      }
    </dl>

    ${
      event.lastError &&
      html`<section
        class=${`card last-error ${event.status === 'failed' ? 'current' : 'earlier'}`}
        id="last-error"
      >
        <h2>
          ${event.status === 'failed' ? 'Error of the failed attempt' : 'Error of an earlier attempt'}
        </h2>
        <${StepErrorDetails} error=${event.lastError} />
      </section>`
    }

    <section class="card">
      <h2>Timeline</h2>
      <${Timeline} entries=${event.timeline ?? []} />
    </section>

    ${
      event.result !== undefined &&
      html`<section class="card">
        <h2>Result</h2>
        <${JsonBlock} value=${event.result} label="Result" />
      </section>`
    }
    <section class="card">
      <h2>Payload</h2>
      <${JsonBlock} value=${event.payload} label="Payload" />
    </section>
  </main>`;
}

function Timeline({ entries }) {
  if (entries.length === 0) return html`<p class="muted">No steps recorded yet.</p>`;
  // Steps are projected as they arrive, which is not always the order they happened in.
  const ordered = [...entries].sort((a, b) => new Date(a.at) - new Date(b.at));
  return html`<div class="table-wrap">
    <table class="list timeline" id="timeline">
      <caption class="visually-hidden">
        Every step of the message, oldest first
      </caption>
      <thead>
        <tr>
          <th scope="col">Time</th>
          <th scope="col">Step</th>
          <th scope="col">Status</th>
          <th scope="col" class="number">Run</th>
          <th scope="col" class="number">Attempt</th>
          <th scope="col">Details</th>
        </tr>
      </thead>
      <tbody>
        ${ordered.map(
          (entry, index) =>
            html`<tr key=${index} data-step=${entry.step}>
              <td class="nowrap mono small">${formatTime(entry.at)}</td>
              <td>${entry.step}</td>
              <td>${entry.status ? html`<${StatusBadge} status=${entry.status} />` : ''}</td>
              <td class="number">${entry.run ?? 0}</td>
              <td class="number">${entry.attempt ?? ''}</td>
              <td>
                ${entry.error && html`<${StepErrorDetails} error=${entry.error} />`}
                ${entry.detail && html`<${JsonBlock} value=${entry.detail} label="Step detail" />`}
              </td>
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}
