// What a custom integration's key may do: its allowed actions and its rate limit, and the grace
// choice of a key roll. Used by the integrations view (create form, a row's "Access" form).
import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { formatTime } from '../format.js';

/** The inbound actions, from the dashboard's actions.json (the service's own registry). */
export function useInboundActions() {
  const [actions, setActions] = useState([]);
  useEffect(() => {
    api
      .actions()
      .then((known) => setActions(known.sources.find((s) => s.source === 'inbound')?.actions ?? []))
      .catch(() => setActions([]));
  }, []);
  return actions;
}

/** Form state of a policy: every action allowed and the default limit when nothing is set. */
export function policyForm(integration) {
  return {
    allowedActions: integration?.allowedActions ?? null,
    perSecond: integration?.rateLimit ? String(integration.rateLimit.perSecond) : '',
    burst: integration?.rateLimit ? String(integration.rateLimit.burst) : '',
  };
}

/**
 * The body fields of a policy form: allowedActions left out when every action is ticked (on
 * create) and rateLimit left out when both numbers are empty.
 */
export function policyBody(form, actions, { patch = false } = {}) {
  const body = {};
  // Untouched (null) is every action, even should actions.json not have loaded.
  const ticked = form.allowedActions ?? actions;
  const all = form.allowedActions === null || actions.every((action) => ticked.includes(action));
  if (!all) body.allowedActions = ticked;
  else if (patch) body.allowedActions = null;
  if (form.perSecond !== '' || form.burst !== '') {
    body.rateLimit = { perSecond: Number(form.perSecond), burst: Number(form.burst) };
  } else if (patch) {
    body.rateLimit = null;
  }
  return body;
}

export function PolicyFields({ form, onChange, actions, idPrefix }) {
  const ticked = form.allowedActions ?? actions;
  const toggle = (action) => (e) => {
    const next = e.currentTarget.checked
      ? actions.filter((a) => a === action || ticked.includes(a))
      : ticked.filter((a) => a !== action);
    onChange({ ...form, allowedActions: next });
  };
  const set = (field) => (e) => onChange({ ...form, [field]: e.currentTarget.value });
  return html`<div class="policy-fields">
    <fieldset class="allowed-actions">
      <legend>Allowed actions</legend>
      ${actions.map(
        (action) =>
          html`<label class="inline"
            ><input
              type="checkbox"
              name=${`${idPrefix}-action`}
              value=${action}
              checked=${ticked.includes(action)}
              onChange=${toggle(action)}
            />
            ${action}</label
          >`,
      )}
    </fieldset>
    <fieldset class="rate-limit">
      <legend>Rate limit (messages; empty = the service default)</legend>
      <label
        >Per second
        <input
          name="perSecond"
          type="number"
          min="1"
          step="1"
          inputmode="numeric"
          value=${form.perSecond}
          onInput=${set('perSecond')}
      /></label>
      <label
        >Burst
        <input
          name="burst"
          type="number"
          min="1"
          step="1"
          inputmode="numeric"
          value=${form.burst}
          onInput=${set('burst')}
      /></label>
      <p class="muted small">
        Burst: the most messages one window of burst ÷ per second seconds takes (a whole multiple of
        per second).
      </p>
    </fieldset>
  </div>`;
}

/** A short read-out of the policy in force, for the integrations table. */
export function PolicySummary({ integration, actions }) {
  if (!integration.rateLimit) return null;
  const allowed = integration.allowedActions ?? [];
  const all = actions.length > 0 && actions.every((action) => allowed.includes(action));
  return html`<div class="muted small policy-summary">
    <div>Limit ${integration.rateLimit.perSecond}/s, burst ${integration.rateLimit.burst}</div>
    <div>Actions: ${all ? 'all' : allowed.join(', ')}</div>
  </div>`;
}

export const GRACE_CHOICES = [
  { seconds: 0, label: 'stops at once' },
  { seconds: 300, label: 'keeps working for 5 minutes' },
  { seconds: 3600, label: 'keeps working for 1 hour' },
  { seconds: 86400, label: 'keeps working for 24 hours' },
];

export function GraceChoice({ value, onChange, id }) {
  return html`<label class="inline"
    >The current key
    <select
      id=${id}
      name="graceSeconds"
      value=${String(value)}
      onChange=${(e) => onChange(Number(e.currentTarget.value))}
    >
      ${GRACE_CHOICES.map(
        (choice) => html`<option value=${String(choice.seconds)}>${choice.label}</option>`,
      )}
    </select></label
  >`;
}

/** The previous key of a roll, while its grace lasts. */
export function PreviousKey({ previous }) {
  if (!previous) return null;
  return html`<div class="muted small previous-key">
    previous <code>${previous.prefix}</code> until ${formatTime(previous.expiresAt, { ms: false })}
  </div>`;
}
