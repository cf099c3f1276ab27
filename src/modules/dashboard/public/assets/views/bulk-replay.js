import { useEffect, useRef, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { ProblemMessage } from '../components.js';

/** A running replay's progress is read this often. */
export const REPLAY_POLL_MS = 1000;
const number = (n) => n.toLocaleString('en-US');

/** The replay is over: nothing more will be queued and every queued event has an outcome. */
const settled = (r) => r.status !== 'running' && r.done + r.failed >= r.queued;

/**
 * "Retry all N matching" on a filtered events list: counts the failed events the list's filter
 * matches (dryRun), asks for confirmation with that number, starts the bulk replay and shows
 * its progress until it is over. `filterFor()` gives the list's API filter as of now.
 */
export function BulkReplay({ filterKey, filterFor, onFinished }) {
  const [count, setCount] = useState(null);
  const [confirming, setConfirming] = useState(null);
  const [replay, setReplay] = useState(null);
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const dialog = useRef(null);

  const filter = () => ({ ...filterFor(), status: 'failed' });
  const recount = () =>
    api
      .countReplay(filter())
      .then((r) => setCount(r.matched))
      .catch(() => setCount(null));

  useEffect(() => {
    setCount(null);
    void recount();
  }, [filterKey]);

  useEffect(() => {
    if (confirming !== null) dialog.current?.showModal?.();
    else dialog.current?.close?.();
  }, [confirming]);

  // Follow the running replay until every event it queued has an outcome.
  const replayId = replay?.replayId;
  const over = replay ? settled(replay) : true;
  useEffect(() => {
    if (!replayId || over) return undefined;
    const timer = setInterval(() => {
      api
        .replay(replayId)
        .then((latest) => {
          setReplay(latest);
          if (settled(latest)) {
            onFinished?.();
            void recount();
          }
        })
        .catch(() => undefined);
    }, REPLAY_POLL_MS);
    return () => clearInterval(timer);
  }, [replayId, over]);

  const ask = async () => {
    setError(null);
    setBusy(true);
    try {
      const { matched } = await api.countReplay(filter());
      setCount(matched);
      setConfirming(matched);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const start = async () => {
    setBusy(true);
    try {
      const started = await api.startReplay(filter());
      setConfirming(null);
      setReplay({
        replayId: started.replayId,
        status: 'running',
        matched: started.matched,
        queued: 0,
        skipped: 0,
        done: 0,
        failed: 0,
      });
    } catch (failure) {
      setConfirming(null);
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  const cancel = () =>
    api
      .cancelReplay(replay.replayId)
      .then(setReplay)
      .catch((failure) => setError(failure));

  const running = replay && !settled(replay);
  return html`<section class="bulk-replay" aria-label="Bulk retry" id="bulk-replay">
    ${
      !running &&
      count > 0 &&
      html`<button type="button" id="retry-all" disabled=${busy} onClick=${ask}>
        Retry all ${number(count)} matching failed event${count === 1 ? '' : 's'}
      </button>`
    }
    ${count === 0 && !replay && html`<span class="muted small">No failed events to retry.</span>`}
    <${ProblemMessage} error=${error} />
    ${replay && html`<${ReplayProgress} replay=${replay} onCancel=${cancel} />`}
    <dialog
      ref=${dialog}
      id="retry-all-confirm"
      aria-labelledby="retry-all-title"
      onClose=${() => setConfirming(null)}
    >
      <h2 id="retry-all-title">Retry ${number(confirming ?? 0)} failed events?</h2>
      <p>
        Every failed event this filter matches now (<strong id="retry-all-count"
          >${number(confirming ?? 0)}</strong
        >) is queued again under its messageId, a page at a time. Events that stop being failed
        meanwhile are skipped.
      </p>
      <div class="dialog-buttons">
        <button type="button" id="retry-all-go" disabled=${busy} onClick=${start}>
          Retry ${number(confirming ?? 0)} events
        </button>
        <button type="button" class="secondary" onClick=${() => setConfirming(null)}>Cancel</button>
      </div>
    </dialog>
  </section>`;
}

function ReplayProgress({ replay, onCancel }) {
  const handled = replay.done + replay.failed + replay.skipped;
  const over = settled(replay);
  const label = over
    ? replay.status === 'cancelled'
      ? 'Replay cancelled'
      : replay.status === 'stopped'
        ? 'Replay stopped'
        : 'Replay done'
    : replay.status === 'cancelled'
      ? 'Replay cancelled; finishing what it queued'
      : 'Replay running';
  return html`<div class="card replay-progress" id="replay-progress" data-status=${replay.status}>
    <div class="replay-progress-head">
      <strong role="status">${label}</strong>
      ${
        replay.status === 'running' &&
        html`<button type="button" class="secondary small" id="replay-cancel" onClick=${onCancel}>
          Cancel replay
        </button>`
      }
    </div>
    <progress
      id="replay-bar"
      max=${Math.max(replay.matched, 1)}
      value=${Math.min(handled, replay.matched)}
      aria-label="Events retried"
    ></progress>
    <p class="small" id="replay-counts">
      ${[
        `${number(handled)} of ${number(replay.matched)}`,
        `queued ${number(replay.queued)}`,
        `succeeded ${number(replay.done)}`,
        `failed again ${number(replay.failed)}`,
        `skipped ${number(replay.skipped)}`,
      ].join(' · ')}
    </p>
    ${replay.error && html`<p class="small error-code">${replay.error}</p>`}
  </div>`;
}
