import { useState } from 'preact/hooks';
import { html } from './html.js';
import { formatJson } from './format.js';

export const STATUSES = ['received', 'processing', 'retrying', 'succeeded', 'failed'];
export const FINAL_STATUSES = ['succeeded', 'failed'];

export function StatusBadge({ status }) {
  return html`<span class="badge status-${status}" data-status=${status}>${status}</span>`;
}

export function JsonBlock({ value, label }) {
  if (value === undefined) return null;
  return html`<pre class="json" aria-label=${label}>${formatJson(value)}</pre>`;
}

/** An API error as the person should read it: the problem's detail and each failing field. */
export function ProblemMessage({ error }) {
  if (!error) return null;
  const fields = error.problem?.errors ?? [];
  return html`<div class="alert error" role="alert">
    <strong>${error.problem?.title ?? 'Error'}</strong> ${error.message}
    ${
      fields.length > 0 &&
      html`<ul>
        ${fields.map((f) => html`<li><code>${f.path}</code>: ${f.message}</li>`)}
      </ul>`
    }
  </div>`;
}

/** A failed attempt's error in full: code, HTTP status, message and what the backend answered. */
export function StepErrorDetails({ error }) {
  if (!error) return null;
  return html`<div class="step-error">
    <div>
      <code class="error-code">${error.code}</code>
      ${error.httpStatus !== undefined && html` <span class="muted">HTTP ${error.httpStatus}</span>`}
      <span class="muted"> · ${error.retryable ? 'retryable' : 'permanent'}</span>
    </div>
    <div class="error-message">${error.message}</div>
    ${
      error.response !== undefined &&
      html`<details open>
        <summary>Backend response</summary>
        <${JsonBlock} value=${error.response} label="Backend response" />
      </details>`
    }
  </div>`;
}

export function CopyButton({ text, label = 'Copy' }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    await navigator.clipboard?.writeText(text).catch(() => undefined);
    setCopied(true);
  };
  return html`<button type="button" class="secondary small" onClick=${copy}>
    ${copied ? 'Copied' : label}
  </button>`;
}

/**
 * A control that calls the API: `run(action)` marks it busy and keeps the action's error (a
 * problem) until the next run.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState(null);
  const run = async (action) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };
  return { busy, error, setError, run };
}
