import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { formatAge, formatPercent, formatTime } from '../format.js';
import { ProblemMessage } from '../components.js';
import { PALETTE, TimeChart } from '../chart.js';
import { hrefFor } from '../router.js';

const WINDOWS = [
  { value: '1h', label: '1 h' },
  { value: '24h', label: '24 h' },
  { value: '7d', label: '7 d' },
];
/** The overview follows new messages by reading the counters again this often. */
const REFRESH_MS = 5000;
const CARDS = [
  { status: 'received', label: 'Received', filter: {} },
  { status: 'succeeded', label: 'Succeeded', filter: { status: 'succeeded' } },
  { status: 'failed', label: 'Failed', filter: { status: 'failed' } },
  { status: 'retrying', label: 'Retries scheduled', filter: null },
  { status: 'retried', label: 'Manual retries', filter: null },
];

/** The landing page: what the account's messages did in the last hour, day or week. */
export function OverviewView({ params }) {
  const window = WINDOWS.some((w) => w.value === params.window) ? params.window : '1h';
  const [stats, setStats] = useState(null);
  const [error, setError] = useState(null);

  useEffect(() => {
    let current = true;
    const load = () =>
      api
        .stats(window)
        .then((loaded) => {
          if (!current) return;
          setStats(loaded);
          setError(null);
        })
        .catch((failure) => current && setError(failure));
    void load();
    const timer = setInterval(() => document.visibilityState === 'visible' && load(), REFRESH_MS);
    return () => {
      current = false;
      clearInterval(timer);
    };
  }, [window]);

  const shown = stats?.window === window ? stats : null;
  return html`<main id="main" tabindex="-1" class="overview">
    <div class="page-head">
      <h1>Overview</h1>
      <nav class="segmented" aria-label="Window">
        ${WINDOWS.map(
          (w) =>
            html`<a
              href=${hrefFor('/', { window: w.value })}
              class=${w.value === window ? 'active' : ''}
              aria-current=${w.value === window ? 'true' : undefined}
              >Last ${w.label}</a
            >`,
        )}
      </nav>
    </div>
    <${ProblemMessage} error=${error} />
    ${
      shown === null
        ? !error && html`<p class="muted" role="status">Loading the overview…</p>`
        : html`<${OverviewContent} stats=${shown} window=${window} />`
    }
  </main>`;
}

function OverviewContent({ stats, window }) {
  const { totals, series } = stats;
  const perMinute = series.stepSeconds / 60;
  const rate = (n) => n / perMinute;
  const groups = series.groups.map((g, i) => ({ ...g, color: PALETTE[i % PALETTE.length] }));
  const failureRate = series.time.map((_, i) => {
    const failed = groups.reduce((sum, g) => sum + g.failed[i], 0);
    const done = failed + groups.reduce((sum, g) => sum + g.succeeded[i], 0);
    return done ? failed / done : null;
  });
  const stepLabel = { 60: '1 min', 900: '15 min', 3600: '1 h' }[series.stepSeconds];
  return html`
    <p class="muted small">
      ${formatTime(stats.from, { ms: false })} → ${formatTime(stats.to, { ms: false })} · updated
      every ${REFRESH_MS / 1000} s
    </p>
    <section aria-labelledby="counts-title">
      <h2 id="counts-title" class="visually-hidden">Counts by status</h2>
      <ul class="stat-cards" id="overview-counts">
        ${CARDS.map(
          (card) =>
            html`<li class=${`stat-card status-edge-${card.status}`} data-status=${card.status}>
              ${
                card.filter
                  ? html`<a href=${hrefFor('/events', { ...card.filter, range: window })}>
                      <span class="value">${totals[card.status]}</span>
                      <span class="label">${card.label}</span>
                    </a>`
                  : html`<span class="value">${totals[card.status]}</span>
                      <span class="label">${card.label}</span>`
              }
            </li>`,
        )}
        <li class="stat-card" data-status="failure-rate">
          <span class="value">${formatPercent(stats.failureRate)}</span>
          <span class="label">Failure rate</span>
        </li>
      </ul>
    </section>

    <div class="chart-grid">
      <section class="card" aria-labelledby="throughput-title">
        <h2 id="throughput-title">Messages per minute, by source and action</h2>
        ${
          groups.length === 0
            ? html`<p class="muted">No messages in this window.</p>`
            : html`<${TimeChart}
                id="chart-throughput"
                label=${`Messages received per minute, one line per source and action, ${stepLabel} points`}
                time=${series.time}
                series=${groups.map((g) => ({
                  label: `${g.source} · ${g.action}`,
                  color: g.color,
                  values: g.received.map(rate),
                }))}
                formatValue=${(v) => (Number.isInteger(v) ? String(v) : v.toFixed(2))}
              />`
        }
      </section>
      <section class="card" aria-labelledby="failure-title">
        <h2 id="failure-title">Failure rate</h2>
        ${
          groups.length === 0
            ? html`<p class="muted">No outcomes in this window.</p>`
            : html`<${TimeChart}
                id="chart-failure-rate"
                label=${`Share of messages that failed among those that finished, ${stepLabel} points`}
                time=${series.time}
                series=${[{ label: 'Failed / finished', color: '#e5534b', values: failureRate }]}
                formatValue=${(v) => `${Math.round(v * 100)} %`}
                yRange=${() => [0, 1]}
              />`
        }
      </section>
    </div>

    <div class="chart-grid">
      <${TopErrors} errors=${stats.topErrors} window=${window} />
      <${Queues} queues=${stats.queues} />
    </div>
  `;
}

function TopErrors({ errors, window }) {
  return html`<section class="card" aria-labelledby="errors-title">
    <h2 id="errors-title">Top failing error codes</h2>
    ${
      errors.length === 0
        ? html`<p class="muted">No failures in this window.</p>`
        : html`<div class="table-wrap">
            <table class="list" id="top-errors">
              <caption class="visually-hidden">
                Error codes of failed messages, most frequent first
              </caption>
              <thead>
                <tr>
                  <th scope="col">Code</th>
                  <th scope="col">Actions</th>
                  <th scope="col" class="number">Failed</th>
                </tr>
              </thead>
              <tbody>
                ${errors.map(
                  (e) =>
                    html`<tr data-code=${e.code}>
                      <th scope="row">
                        <a
                          href=${hrefFor('/events', {
                            status: 'failed',
                            errorCode: e.code,
                            range: window,
                          })}
                          ><code>${e.code}</code></a
                        >
                      </th>
                      <td>${e.actions.join(', ')}</td>
                      <td class="number">${e.count}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}

function Queues({ queues }) {
  return html`<section class="card" aria-labelledby="queues-title">
    <h2 id="queues-title">Queues</h2>
    <p class="muted small">Every account's jobs: the queues are the service's.</p>
    <div class="table-wrap">
      <table class="list" id="queues">
        <caption class="visually-hidden">
          Jobs per queue and the oldest job waiting for a worker
        </caption>
        <thead>
          <tr>
            <th scope="col">Queue</th>
            <th scope="col" class="number">Depth</th>
            <th scope="col" class="number hide-narrow">Active</th>
            <th scope="col" class="number hide-narrow">Failed</th>
            <th scope="col">Oldest waiting</th>
          </tr>
        </thead>
        <tbody>
          ${
            queues.length === 0 &&
            html`<tr>
              <td colspan="5" class="muted">The queues cannot be read right now.</td>
            </tr>`
          }
          ${queues.map(
            (q) =>
              html`<tr data-queue=${q.queue}>
                <th scope="row">${q.queue}</th>
                <td class="number" title="waiting + prioritized + delayed">${q.depth}</td>
                <td class="number hide-narrow">${q.counts.active ?? 0}</td>
                <td class="number hide-narrow">${q.counts.failed ?? 0}</td>
                <td>
                  ${
                    q.oldestWaitingAt
                      ? html`${formatAge(q.oldestWaitingAt)} ago
                          <div class="muted small">
                            ${formatTime(q.oldestWaitingAt, { ms: false })}
                          </div>`
                      : html`<span class="muted">none waiting</span>`
                  }
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
    </div>
  </section>`;
}
