import { useEffect, useState } from 'preact/hooks';
import { html } from '../html.js';
import { api } from '../api.js';
import { formatTime } from '../format.js';
import { CopyButton, ProblemMessage, useAction } from '../components.js';
import { hrefFor } from '../router.js';
import {
  GraceChoice,
  PolicyFields,
  policyBody,
  policyForm,
  PolicySummary,
  PreviousKey,
  useInboundActions,
} from './inbound-policy.js';
import { NotificationsSection } from './notifications.js';

export function IntegrationsView({ params = {} }) {
  const [integrations, setIntegrations] = useState(null);
  const [error, setError] = useState(null);
  // The API key is in the create / regenerate response only: show it once, here.
  const [newKey, setNewKey] = useState(null);
  const actions = useInboundActions();

  const load = () =>
    api
      .integrations()
      .then((list) => {
        setIntegrations(list);
        setError(null);
      })
      .catch(setError);
  useEffect(() => void load(), []);

  const keyShown = (integration, how) => {
    setNewKey({
      name: integration.name,
      service: integration.service,
      apiKey: integration.apiKey,
      settings: integration.settings,
      previousApiKey: integration.previousApiKey,
      how,
    });
    void load();
  };

  return html`<main id="main" tabindex="-1">
    <h1>Integrations</h1>
    ${newKey && html`<${NewKeyNotice} notice=${newKey} onDismiss=${() => setNewKey(null)} />`}
    <${ProblemMessage} error=${error} />
    <${CreateIntegration}
      actions=${actions}
      onCreated=${(created) => keyShown(created, 'created')}
    />
    ${
      integrations === null
        ? html`<p class="muted">Loading…</p>`
        : html`<div class="table-wrap">
            <table class="list stack" id="integrations">
              <caption class="visually-hidden">
                Integrations of this account
              </caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Service</th>
                  <th scope="col">Inbound API key</th>
                  <th scope="col">State</th>
                  <th scope="col">Created</th>
                  <th scope="col"><span class="visually-hidden">Actions</span></th>
                </tr>
              </thead>
              <tbody>
                ${
                  integrations.length === 0 &&
                  html`<tr>
                    <td colspan="6" class="muted">No integrations yet: create one above.</td>
                  </tr>`
                }
                ${integrations.map(
                  (integration) =>
                    html`<${IntegrationRow}
                      key=${integration.id}
                      integration=${integration}
                      actions=${actions}
                      onChanged=${load}
                      onKey=${(updated) => keyShown(updated, 'regenerated')}
                    />`,
                )}
              </tbody>
            </table>
          </div>`
    }
    <${NotificationsSection} integrations=${integrations} integrationId=${params.notifications} />
  </main>`;
}

function NewKeyNotice({ notice, onDismiss }) {
  if (notice.service === 'avasam') {
    // Avasam pushes signed webhooks: what the seller needs are the URLs, not an inbound key.
    return html`<div class="alert success new-key" role="status">
      <p>
        <strong>Avasam integration “${notice.name}” created.</strong> Enter these URLs and your
        verification token in Avasam's webhook settings.
      </p>
      ${['stockUpdateUrl', 'priceUpdateUrl'].map(
        (field) =>
          notice.settings?.[field] &&
          html`<p class="key-line">
            <span>${field === 'stockUpdateUrl' ? 'Stock' : 'Price'}:</span>
            <code>${notice.settings[field]}</code> <${CopyButton} text=${notice.settings[field]} />
          </p>`,
      )}
      <button type="button" class="secondary small" onClick=${onDismiss}>Done</button>
    </div>`;
  }
  return html`<div class="alert success new-key" role="status">
    <p>
      <strong
        >API key for “${notice.name}”
        ${notice.how === 'created' ? 'created' : 'regenerated'}.</strong
      >
      It is shown only now: store it somewhere safe.
      ${
        notice.how === 'regenerated' &&
        (notice.previousApiKey
          ? ` The previous key keeps working until ${formatTime(notice.previousApiKey.expiresAt, { ms: false })}.`
          : ' The previous key has stopped working.')
      }
    </p>
    <p class="key-line">
      <code id="new-api-key" spellcheck=${false}>${notice.apiKey}</code>
      <${CopyButton} text=${notice.apiKey} />
    </p>
    <button type="button" class="secondary small" onClick=${onDismiss}>I have stored it</button>
  </div>`;
}

function CreateIntegration({ onCreated, actions }) {
  const [form, setForm] = useState({ name: '', service: 'custom', enabled: true, settings: '' });
  const [policy, setPolicy] = useState(policyForm(null));
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);
  const set = (field) => (e) =>
    setForm({
      ...form,
      [field]:
        e.currentTarget.type === 'checkbox' ? e.currentTarget.checked : e.currentTarget.value,
    });

  const submit = async (event) => {
    event.preventDefault();
    setError(null);
    let settings;
    try {
      settings = form.settings.trim() ? JSON.parse(form.settings) : undefined;
    } catch {
      setError({
        message: 'Settings must be a JSON object.',
        problem: { title: 'Invalid settings' },
      });
      return;
    }
    setBusy(true);
    try {
      const created = await api.createIntegration({
        name: form.name,
        service: form.service,
        enabled: form.enabled,
        ...(settings !== undefined && { settings }),
        ...(form.service === 'custom' && policyBody(policy, actions)),
      });
      setForm({ name: '', service: 'custom', enabled: true, settings: '' });
      setPolicy(policyForm(null));
      onCreated(created);
    } catch (failure) {
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return html`<form class="card create-integration" onSubmit=${submit}>
    <h2>New integration</h2>
    <${ProblemMessage} error=${error} />
    <div class="fields">
      <label
        >Name <input name="name" required maxlength="200" value=${form.name} onInput=${set('name')}
      /></label>
      <label
        >Service
        <select name="service" value=${form.service} onChange=${set('service')}>
          <option value="custom">custom</option>
          <option value="avasam">avasam</option>
        </select>
      </label>
      <label class="inline"
        ><input type="checkbox" name="enabled" checked=${form.enabled} onChange=${set('enabled')} />
        Enabled</label
      >
    </div>
    ${
      form.service === 'custom' &&
      html`<${PolicyFields}
        form=${policy}
        onChange=${setPolicy}
        actions=${actions}
        idPrefix="create"
      />`
    }
    ${
      form.service !== 'custom' &&
      html`<label
        >Settings (JSON)
        <textarea
          name="settings"
          rows="3"
          spellcheck=${false}
          placeholder='{"consumerKey": "…", "secretKey": "…"}'
          value=${form.settings}
          onInput=${set('settings')}
        ></textarea>
      </label>`
    }
    <button type="submit" disabled=${busy}>Create integration</button>
  </form>`;
}

function IntegrationRow({ integration, actions, onChanged, onKey }) {
  const { busy, error, run } = useAction();
  const [confirming, setConfirming] = useState(false);
  const [graceSeconds, setGraceSeconds] = useState(0);
  const [editing, setEditing] = useState(null);

  const toggle = () =>
    run(async () => {
      await api.updateIntegration(integration.id, { enabled: !integration.enabled });
      await onChanged();
    });
  const regenerate = () =>
    run(async () => {
      setConfirming(false);
      onKey(await api.regenerateKey(integration.id, graceSeconds));
      setGraceSeconds(0);
    });
  const savePolicy = (event) => {
    event.preventDefault();
    return run(async () => {
      await api.updateIntegration(integration.id, policyBody(editing, actions, { patch: true }));
      setEditing(null);
      await onChanged();
    });
  };

  const usesInboundKey = integration.service === 'custom';
  return html`<tr data-integration-id=${integration.id}>
      <td>
        <strong>${integration.name}</strong>
        <div class="muted small mono">${integration.id}</div>
        <${ProblemMessage} error=${error} />
      </td>
      <td data-label="Service">${integration.service}</td>
      <td data-label="Key">
        ${
          // Only custom integrations have an inbound key; Avasam signs its webhooks instead.
          usesInboundKey
            ? html`<code>${integration.apiKeyPrefix}</code>
                <${PreviousKey} previous=${integration.previousApiKey} />
                <${PolicySummary} integration=${integration} actions=${actions} />`
            : html`<span class="muted small">none (signed webhooks)</span>`
        }
      </td>
      <td>
        <span class=${`badge ${integration.enabled ? 'enabled' : 'disabled'}`}>
          ${integration.enabled ? 'enabled' : 'disabled'}
        </span>
      </td>
      <td class="small" data-label="Created">
        ${formatTime(integration.createdAt, { ms: false })}
      </td>
      <td>
        <div class="actions">
          <a href=${hrefFor('/events', { integrationId: integration.id })}>Events</a>
          <a href=${hrefFor('/integrations', { notifications: integration.id })}>Notifications</a>
          <button type="button" class="secondary small" disabled=${busy} onClick=${toggle}>
            ${integration.enabled ? 'Disable' : 'Enable'}
          </button>
          ${
            !usesInboundKey
              ? null
              : confirming
                ? html`<span class="confirm">
                    <${GraceChoice}
                      id=${`grace-${integration.id}`}
                      value=${graceSeconds}
                      onChange=${setGraceSeconds}
                    />
                    <button
                      type="button"
                      class="danger small"
                      disabled=${busy}
                      onClick=${regenerate}
                    >
                      Regenerate
                    </button>
                    <button
                      type="button"
                      class="secondary small"
                      onClick=${() => setConfirming(false)}
                    >
                      Cancel
                    </button>
                  </span>`
                : html`<button
                    type="button"
                    class="secondary small"
                    onClick=${() => setConfirming(true)}
                  >
                    Regenerate key
                  </button>`
          }
          ${
            usesInboundKey &&
            !editing &&
            html`<button
              type="button"
              class="secondary small"
              onClick=${() => setEditing(policyForm(integration))}
            >
              Access
            </button>`
          }
        </div>
      </td>
    </tr>
    ${
      editing &&
      html`<tr class="policy-row" data-policy-for=${integration.id}>
        <td colspan="6">
          <form class="policy-form" onSubmit=${savePolicy}>
            <${PolicyFields}
              form=${editing}
              onChange=${setEditing}
              actions=${actions}
              idPrefix=${`edit-${integration.id}`}
            />
            <div class="actions">
              <button type="submit" class="small" disabled=${busy}>Save access</button>
              <button type="button" class="secondary small" onClick=${() => setEditing(null)}>
                Cancel
              </button>
            </div>
          </form>
        </td>
      </tr>`
    }`;
}
