import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { session } from './api.js';
import { applyTheme, prefs } from './prefs.js';
import { localZoneName } from './format.js';
import { useRoute } from './router.js';
import { SignIn } from './views/sign-in.js';
import { OverviewView } from './views/overview.js';
import { IntegrationsView } from './views/integrations.js';
import { EventsView } from './views/events.js';
import { EventDetailView } from './views/event-detail.js';

applyTheme();

function App() {
  const [signedIn, setSignedIn] = useState(Boolean(session.token()));
  const [reason, setReason] = useState(null);
  // Bumped when a display preference changes: every time on the page is drawn again.
  const [, setPrefsVersion] = useState(0);
  const route = useRoute();

  useEffect(() => {
    session.onSignedOut((why) => {
      setReason(why ?? null);
      setSignedIn(false);
    });
    return prefs.subscribe(() => setPrefsVersion((v) => v + 1));
  }, []);

  const content = signedIn
    ? html`<${Shell} route=${route}>${page(route)}</${Shell}>`
    : html`<${SignIn} reason=${reason} onSignedIn=${() => setSignedIn(true)} />`;
  return html`<${SkipLink} />${content}`;
}

function page({ path, params }) {
  const eventPage = /^\/events\/(.+)$/.exec(path);
  if (eventPage) return html`<${EventDetailView} messageId=${decodeURIComponent(eventPage[1])} />`;
  if (path === '/events') return html`<${EventsView} params=${params} />`;
  if (path === '/integrations') return html`<${IntegrationsView} params=${params} />`;
  return html`<${OverviewView} params=${params} />`;
}

/** Hash routes own the URL's fragment, so the skip link moves focus itself. */
function SkipLink() {
  const skip = (event) => {
    event.preventDefault();
    document.getElementById('main')?.focus();
  };
  return html`<a class="skip-link" href="#main" onClick=${skip}>Skip to content</a>`;
}

function Shell({ route, children }) {
  const principal = session.principal();
  const section = route.path.startsWith('/events')
    ? 'events'
    : route.path.startsWith('/integrations')
      ? 'integrations'
      : 'overview';
  const tab = (name, href, label) =>
    html`<a
      href=${href}
      class=${section === name ? 'active' : ''}
      aria-current=${section === name ? 'page' : undefined}
      >${label}</a
    >`;
  return html`<div class="shell">
    <header class="topbar">
      <span class="brand">avvyr-integrations</span>
      <nav class="tabs" aria-label="Dashboard">
        ${tab('overview', '#/', 'Overview')} ${tab('events', '#/events', 'Events')}
        ${tab('integrations', '#/integrations', 'Integrations')}
        ${
          session.isOperator() &&
          html`<a href="/queues" target="_blank" rel="noopener">Bull Board ↗</a>`
        }
        <a href="/docs" target="_blank" rel="noopener">API docs ↗</a>
      </nav>
      <div class="topbar-end">
        <${ZoneSwitch} />
        <${ThemeSwitch} />
        ${
          principal &&
          html`<span
            class="principal"
            title=${`expires ${new Date(principal.exp * 1000).toISOString()}`}
          >
            ${principal.sub} · ${principal.accountId}
          </span>`
        }
        <button type="button" class="topbar-button" onClick=${() => session.signOut()}>
          Sign out
        </button>
      </div>
    </header>
    ${children}
  </div>`;
}

function ZoneSwitch() {
  const zone = prefs.timeZone();
  return html`<label class="topbar-select"
    ><span class="visually-hidden">Time zone</span>
    <select
      id="time-zone"
      value=${zone}
      onChange=${(e) => prefs.setTimeZone(e.currentTarget.value)}
    >
      <option value="local">Local (${localZoneName()})</option>
      <option value="utc">UTC</option>
    </select></label
  >`;
}

function ThemeSwitch() {
  const theme = prefs.theme();
  return html`<label class="topbar-select"
    ><span class="visually-hidden">Theme</span>
    <select id="theme" value=${theme} onChange=${(e) => prefs.setTheme(e.currentTarget.value)}>
      <option value="auto">Theme: system</option>
      <option value="light">Theme: light</option>
      <option value="dark">Theme: dark</option>
    </select></label
  >`;
}

const root = document.getElementById('app');
root.textContent = ''; // drop the "Loading…" placeholder: render() adds to what is there
render(html`<${App} />`, root);
