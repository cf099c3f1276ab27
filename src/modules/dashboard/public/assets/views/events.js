import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { formatTime, isoToLocalInput, localInputToIso } from '../format.js';
import { ProblemMessage, STATUSES, StatusBadge } from '../components.js';
import { hrefFor, navigate } from '../router.js';

const PAGE_SIZE = 25;
const FILTER_FIELDS = ['integrationId', 'status', 'action', 'entityId', 'from', 'to'];
const KNOWN_ACTIONS = [
  'inventory.set',
  'inventory.adjust',
  'order.create',
  'order.update',
  'product.upsert',
  'price.set',
  'customer.upsert',
];

/** Events newest first, filtered by what the hash says (so a filtered list can be linked). */
export function EventsView({ params }) {
  const filter = Object.fromEntries(
    FILTER_FIELDS.filter((field) => params[field]).map((field) => [field, params[field]]),
  );
  const filterKey = JSON.stringify(filter);
  // Cursors of the pages seen so far under this filter: the last one is the page shown.
  const [paging, setPaging] = useState({ filterKey, cursors: [null] });
  const cursors = paging.filterKey === filterKey ? paging.cursors : [null];
  const setCursors = (next) => setPaging({ filterKey, cursors: next });
  const [page, setPage] = useState(null);
  const [error, setError] = useState(null);
  const [integrations, setIntegrations] = useState([]);
  const [reloads, setReloads] = useState(0);

  useEffect(() => {
    api.integrations().then(setIntegrations).catch(setError);
  }, []);

  const cursor = cursors[cursors.length - 1];
  // The page shown belongs to one filter and cursor: anything else is still loading.
  const pageKey = JSON.stringify([filterKey, cursor, reloads]);
  useEffect(() => {
    let current = true;
    setError(null);
    api
      .events({ ...filter, limit: PAGE_SIZE, ...(cursor && { cursor }) })
      .then((result) => current && setPage({ key: pageKey, ...result }))
      .catch((failure) => current && setError(failure));
    return () => {
      current = false;
    };
  }, [pageKey]);
  const shown = page?.key === pageKey ? page : null;

  const names = Object.fromEntries(integrations.map((i) => [i.id, i.name]));
  return html`<main>
    <h1>Events</h1>
    <${EventsFilter} filter=${filter} integrations=${integrations} />
    <${ProblemMessage} error=${error} />
    <div class="toolbar">
      <span class="muted">Newest first · page ${cursors.length}</span>
      <button type="button" class="secondary small" onClick=${() => setReloads(reloads + 1)}>
        Refresh
      </button>
    </div>
    ${
      shown === null
        ? html`<p class="muted">Loading…</p>`
        : html`<table class="list" id="events">
            <thead>
              <tr>
                <th>Received</th>
                <th>Status</th>
                <th>Action</th>
                <th>Entity</th>
                <th>Integration</th>
                <th>Attempts</th>
                <th>Message</th>
              </tr>
            </thead>
            <tbody>
              ${
                shown.items.length === 0 &&
                html`<tr>
                  <td colspan="7" class="muted">No events match these filters.</td>
                </tr>`
              }
              ${shown.items.map(
                (event) =>
                  html`<tr key=${event.messageId} data-message-id=${event.messageId}>
                    <td class="nowrap">${formatTime(event.receivedAt)}</td>
                    <td><${StatusBadge} status=${event.status} /></td>
                    <td><a href=${hrefFor(`/events/${event.messageId}`)}>${event.action}</a></td>
                    <td>${event.entityId ?? html`<span class="muted">—</span>`}</td>
                    <td>${names[event.integrationId] ?? event.integrationId}</td>
                    <td class="number">${event.attempts ?? 0}</td>
                    <td>
                      <a class="mono small" href=${hrefFor(`/events/${event.messageId}`)}
                        >${event.messageId}</a
                      >
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>`
    }
    <div class="pager">
      <button
        type="button"
        class="secondary"
        disabled=${cursors.length === 1}
        onClick=${() => setCursors(cursors.slice(0, -1))}
      >
        ← Newer
      </button>
      <button
        type="button"
        class="secondary"
        disabled=${!shown?.nextCursor}
        onClick=${() => setCursors([...cursors, shown.nextCursor])}
      >
        Older →
      </button>
    </div>
  </main>`;
}

function EventsFilter({ filter, integrations }) {
  const initial = () => ({
    integrationId: filter.integrationId ?? '',
    status: filter.status ?? '',
    action: filter.action ?? '',
    entityId: filter.entityId ?? '',
    from: isoToLocalInput(filter.from),
    to: isoToLocalInput(filter.to),
  });
  const [form, setForm] = useState(initial);
  useEffect(() => setForm(initial()), [JSON.stringify(filter)]);
  const set = (field) => (e) => setForm({ ...form, [field]: e.currentTarget.value });

  const apply = (event) => {
    event.preventDefault();
    navigate('/events', {
      ...form,
      action: form.action.trim(),
      entityId: form.entityId.trim(),
      from: localInputToIso(form.from),
      to: localInputToIso(form.to),
    });
  };

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
      >Action
      <input name="action" list="known-actions" value=${form.action} onInput=${set('action')} />
      <datalist id="known-actions">
        ${KNOWN_ACTIONS.map((a) => html`<option value=${a} />`)}
      </datalist>
    </label>
    <label
      >Entity ID <input name="entityId" value=${form.entityId} onInput=${set('entityId')}
    /></label>
    <label
      >From <input type="datetime-local" name="from" value=${form.from} onInput=${set('from')}
    /></label>
    <label
      >To <input type="datetime-local" name="to" value=${form.to} onInput=${set('to')}
    /></label>
    <div class="filter-buttons">
      <button type="submit">Apply</button>
      <a class="button secondary" href=${hrefFor('/events')}>Clear</a>
    </div>
  </form>`;
}
