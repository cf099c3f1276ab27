import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { formatTime, inputToIso, isoToInput, zoneLabel } from '../format.js';
import { FINAL_STATUSES, ProblemMessage, STATUSES, StatusBadge } from '../components.js';
import { hrefFor, navigate } from '../router.js';
import { BulkReplay } from './bulk-replay.js';

const PAGE_SIZE = 25;
/** The list looks for new events and status changes this often (new ones show within 2 s). */
export const LIVE_INTERVAL_MS = 1000;
/** What the URL may hold: every filter, the time range and the page (its cursors). */
const TEXT_FILTERS = [
  'integrationId',
  'status',
  'source',
  'action',
  'entityId',
  'sku',
  'errorCode',
];
export const RANGES = [
  { value: '', label: 'Any time' },
  { value: '15m', label: 'Last 15 min', ms: 15 * 60_000 },
  { value: '1h', label: 'Last 1 h', ms: 3600_000 },
  { value: '24h', label: 'Last 24 h', ms: 24 * 3600_000 },
  { value: '7d', label: 'Last 7 d', ms: 7 * 24 * 3600_000 },
  { value: 'custom', label: 'Custom range' },
];
const COUNTED = ['received', 'succeeded', 'failed', 'retrying', 'retried'];

/** The API filter the URL describes; presets are relative, so they are resolved now. */
function apiFilter(params) {
  const filter = {};
  for (const field of TEXT_FILTERS) if (params[field]) filter[field] = params[field];
  const preset = RANGES.find((r) => r.value === params.range && r.ms);
  if (preset) filter.from = new Date(Date.now() - preset.ms).toISOString();
  if (params.range === 'custom') {
    if (params.from) filter.from = params.from;
    if (params.to) filter.to = params.to;
  }
  return filter;
}

/** "Retry all N matching" is offered on a filtered list of failed (or any-status) events. */
const replayable = (params) =>
  (!params.status || params.status === 'failed') &&
  [...TEXT_FILTERS, 'range'].some((field) => params[field]);

/** The page's cursors, oldest page last, kept in the URL as `at=c1.c2…` (base64url has no dot). */
const cursorsOf = (params) => (params.at ? params.at.split('.').filter(Boolean) : []);

/** Events newest first, filtered and paged by what the URL says, and kept up to date. */
export function EventsView({ params }) {
  const cursors = cursorsOf(params);
  const cursor = cursors[cursors.length - 1];
  const filterParams = { ...params, at: undefined };
  const filterKey = JSON.stringify(filterParams);
  const pageKey = JSON.stringify([filterKey, cursor ?? null]);

  // The last page that arrived stays on screen while the next one loads.
  const [page, setPage] = useState(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState(null);
  const [integrations, setIntegrations] = useState([]);
  const [actions, setActions] = useState([]);
  const [fresh, setFresh] = useState({ filterKey, count: 0, more: false });
  const [reloads, setReloads] = useState(0);
  // Messages already known under this filter: anything newer on page 1 is "new".
  const known = useRef({ filterKey: null, ids: new Set() });

  useEffect(() => {
    api.integrations().then(setIntegrations).catch(setError);
    api
      .actions()
      .then((loaded) => setActions(loaded.sources))
      .catch(() => undefined);
  }, []);

  useEffect(() => {
    let current = true;
    setLoading(true);
    api
      .events({ ...apiFilter(params), limit: PAGE_SIZE, ...(cursor && { cursor }) })
      .then((result) => {
        if (!current) return;
        if (known.current.filterKey !== filterKey || !cursor) {
          known.current = { filterKey, ids: new Set(result.items.map((e) => e.messageId)) };
          setFresh({ filterKey, count: 0, more: false });
        }
        setPage({ key: pageKey, ...result });
        setError(null);
      })
      .catch((failure) => current && setError(failure))
      .finally(() => current && setLoading(false));
    return () => {
      current = false;
    };
  }, [pageKey, reloads]);

  // Live: page 1 of the same filter shows what is new; rows shown get their new status in place.
  const shownKey = page?.key;
  const pageRef = useRef(page);
  pageRef.current = page;
  useEffect(() => {
    if (!page || page.key !== pageKey) return undefined;
    const closed = params.range === 'custom' && params.to && Date.parse(params.to) < Date.now();
    let busy = false;
    const poll = async () => {
      if (busy || document.visibilityState !== 'visible') return;
      busy = true;
      try {
        const first = await api.events({ ...apiFilter(params), limit: PAGE_SIZE });
        const unseen = first.items.filter((e) => !known.current.ids.has(e.messageId));
        const inFlight = pageRef.current.items.some((e) => !FINAL_STATUSES.includes(e.status));
        const current = cursor
          ? inFlight
            ? await api.events({ ...apiFilter(params), limit: PAGE_SIZE, cursor })
            : null
          : first;
        setPage((shown) => {
          if (!shown || shown.key !== pageKey) return shown;
          const latest = new Map((current?.items ?? []).map((e) => [e.messageId, e]));
          return {
            ...shown,
            counts: first.counts ?? shown.counts,
            items: shown.items.map((e) => latest.get(e.messageId) ?? e),
          };
        });
        setFresh({
          filterKey,
          count: unseen.length,
          more: unseen.length === first.items.length && first.nextCursor !== null,
        });
      } catch {
        // a missed poll is retried at the next tick; the page keeps what it shows
      } finally {
        busy = false;
      }
    };
    if (closed) return undefined;
    const timer = setInterval(() => void poll(), LIVE_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [shownKey, pageKey]);

  const go = (nextCursors) =>
    navigate('/events', { ...filterParams, at: nextCursors.join('.') || undefined });
  const showNew = () => {
    if (cursors.length) go([]);
    else setReloads(reloads + 1);
  };

  const names = Object.fromEntries(integrations.map((i) => [i.id, i.name]));
  const newCount = fresh.filterKey === filterKey ? fresh.count : 0;
  return html`<main id="main" tabindex="-1">
    <h1>Events</h1>
    <${EventsFilter} params=${params} integrations=${integrations} actions=${actions} />
    <${ProblemMessage} error=${error} />
    <${StatusCounts} counts=${page?.counts} params=${filterParams} />
    ${
      replayable(filterParams) &&
      html`<${BulkReplay}
        filterKey=${filterKey}
        filterFor=${() => apiFilter(params)}
        onFinished=${() => setReloads((n) => n + 1)}
      />`
    }
    <div class="toolbar">
      <span class="muted" role="status">
        Newest first · page ${cursors.length + 1}${loading ? ' · Loading…' : ''}
      </span>
      <span class="live-note muted small">● live</span>
    </div>
    <div aria-live="polite" class="new-events-slot">
      ${
        newCount > 0 &&
        html`<button type="button" class="new-events" id="new-events" onClick=${showNew}>
          ${newCount}${fresh.more ? '+' : ''} new event${newCount === 1 ? '' : 's'} · Show
        </button>`
      }
    </div>
    ${
      page === null
        ? !error && html`<p class="muted">Loading…</p>`
        : html`<div class="table-wrap">
            <table class="list events" id="events" aria-busy=${loading ? 'true' : 'false'}>
              <caption class="visually-hidden">
                Events, newest first, page ${cursors.length + 1}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Received</th>
                  <th scope="col">Status</th>
                  <th scope="col">Action</th>
                  <th scope="col" class="hide-narrow">Entity</th>
                  <th scope="col" class="hide-narrow">Integration</th>
                  <th scope="col" class="number hide-narrow">Attempts</th>
                  <th scope="col" class="hide-narrow">Message</th>
                </tr>
              </thead>
              <tbody>
                ${
                  page.items.length === 0 &&
                  html`<tr>
                    <td colspan="7" class="muted">No events match these filters.</td>
                  </tr>`
                }
                ${page.items.map(
                  (event) =>
                    html`<tr key=${event.messageId} data-message-id=${event.messageId}>
                      <td class="nowrap small">${formatTime(event.receivedAt)}</td>
                      <td><${StatusBadge} status=${event.status} /></td>
                      <td>
                        <a href=${hrefFor(`/events/${event.messageId}`)}>${event.action}</a>
                        ${event.lastError && html`<div class="small error-code">${event.lastError.code}</div>`}
                      </td>
                      <td class="hide-narrow">
                        ${event.entityId ?? html`<span class="muted">—</span>`}
                      </td>
                      <td class="hide-narrow">
                        ${names[event.integrationId] ?? event.integrationId}
                      </td>
                      <td class="number hide-narrow">${event.attempts ?? 0}</td>
                      <td class="hide-narrow">
                        <a class="mono small" href=${hrefFor(`/events/${event.messageId}`)}
                          >${event.messageId}</a
                        >
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
    <div class="pager">
      <button
        type="button"
        class="secondary"
        disabled=${cursors.length === 0 || loading}
        onClick=${() => go(cursors.slice(0, -1))}
      >
        ← Newer
      </button>
      <button
        type="button"
        class="secondary"
        disabled=${!page?.nextCursor || page.key !== pageKey || loading}
        onClick=${() => go([...cursors, page.nextCursor])}
      >
        Older →
      </button>
    </div>
  </main>`;
}

/** Counts by status from the service's counters, for the parts of the filter they know. */
function StatusCounts({ counts, params }) {
  if (!counts) return null;
  const narrowedElsewhere = ['entityId', 'sku', 'errorCode'].filter((f) => params[f]);
  return html`<section class="status-counts" aria-labelledby="counts-title" id="status-counts">
    <h2 id="counts-title" class="visually-hidden">Counts by status</h2>
    <ul>
      ${COUNTED.map(
        (status) =>
          html`<li data-status=${status}>
            ${
              STATUSES.includes(status)
                ? html`<a
                    href=${hrefFor('/events', {
                      ...params,
                      status: params.status === status ? undefined : status,
                    })}
                    aria-current=${params.status === status ? 'true' : undefined}
                    ><${StatusBadge} status=${status} />
                    <strong>${counts.byStatus[status] ?? 0}</strong></a
                  >`
                : html`<span class="badge">${status}</span>
                    <strong>${counts.byStatus[status] ?? 0}</strong>`
            }
          </li>`,
      )}
    </ul>
    <p class="muted small">
      Reached each status ${formatTime(counts.from, { ms: false })} →
      ${formatTime(counts.to, { ms: false })}${
        narrowedElsewhere.length ? ` (not narrowed by ${narrowedElsewhere.join(', ')})` : ''
      }
    </p>
  </section>`;
}

function EventsFilter({ params, integrations, actions }) {
  const initial = () => ({
    integrationId: params.integrationId ?? '',
    status: params.status ?? '',
    source: params.source ?? '',
    action: params.action ?? '',
    entityId: params.entityId ?? '',
    sku: params.sku ?? '',
    errorCode: params.errorCode ?? '',
    range: params.range ?? '',
    from: isoToInput(params.from),
    to: isoToInput(params.to),
  });
  const [form, setForm] = useState(initial);
  const zone = zoneLabel();
  useEffect(() => setForm(initial()), [JSON.stringify(params), zone]);
  const set = (field) => (e) => setForm({ ...form, [field]: e.currentTarget.value });

  const apply = (event) => {
    event.preventDefault();
    const custom = form.range === 'custom';
    navigate('/events', {
      ...form,
      action: form.action.trim(),
      entityId: form.entityId.trim(),
      sku: form.sku.trim(),
      errorCode: form.errorCode.trim(),
      from: custom ? inputToIso(form.from) : undefined,
      to: custom ? inputToIso(form.to) : undefined,
    });
  };
  const shownSources = actions.filter((s) => !form.source || s.source === form.source);

  return html`<form class="card filters" onSubmit=${apply} aria-label="Event filters">
    <label
      >Integration
      <select name="integrationId" value=${form.integrationId} onChange=${set('integrationId')}>
        <option value="">All</option>
        ${integrations.map((i) => html`<option value=${i.id}>${i.name}</option>`)}
      </select>
    </label>
    <label
      >Status
      <select name="status" value=${form.status} onChange=${set('status')}>
        <option value="">All</option>
        ${STATUSES.map((s) => html`<option value=${s}>${s}</option>`)}
      </select>
    </label>
    <label
      >Source
      <select name="source" value=${form.source} onChange=${set('source')}>
        <option value="">All</option>
        <option value="inbound">inbound (Custom Inbound API)</option>
        <option value="avasam">avasam (webhooks)</option>
      </select>
    </label>
    <label
      >Action
      <select name="action" value=${form.action} onChange=${set('action')}>
        <option value="">All</option>
        ${shownSources.map(
          (s) =>
            html`<optgroup label=${s.source}>
              ${s.actions.map((a) => html`<option value=${a}>${a}</option>`)}
            </optgroup>`,
        )}
        ${
          form.action &&
          !actions.some((s) => s.actions.includes(form.action)) &&
          html`<option value=${form.action}>${form.action}</option>`
        }
      </select>
    </label>
    <label
      >SKU
      <input
        name="sku"
        value=${form.sku}
        onInput=${set('sku')}
        spellcheck=${false}
        autocomplete="off"
        placeholder="e.g. CHAIR-UNO-BLK"
    /></label>
    <label
      >Entity ID
      <input name="entityId" value=${form.entityId} onInput=${set('entityId')} spellcheck=${false}
    /></label>
    <label
      >Error code
      <input
        name="errorCode"
        value=${form.errorCode}
        onInput=${set('errorCode')}
        spellcheck=${false}
        placeholder="e.g. AVVYR_HTTP_422"
    /></label>
    <label
      >Time range
      <select name="range" value=${form.range} onChange=${set('range')}>
        ${RANGES.map((r) => html`<option value=${r.value}>${r.label}</option>`)}
      </select>
    </label>
    ${
      form.range === 'custom' &&
      html`<label
          >From (${zone})
          <input type="datetime-local" name="from" value=${form.from} onInput=${set('from')}
        /></label>
        <label
          >To (${zone})
          <input type="datetime-local" name="to" value=${form.to} onInput=${set('to')}
        /></label>`
    }
    <div class="filter-buttons">
      <button type="submit">Apply</button>
      <a class="button secondary" href=${hrefFor('/events')}>Clear</a>
    </div>
  </form>`;
}
