import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { session } from './api.js';
import { useRoute } from './router.js';
import { SignIn } from './views/sign-in.js';
import { IntegrationsView } from './views/integrations.js';
import { EventsView } from './views/events.js';
import { EventDetailView } from './views/event-detail.js';

function App() {
  const [signedIn, setSignedIn] = useState(Boolean(session.token()));
  const [reason, setReason] = useState(null);
  const route = useRoute();

  useEffect(() => {
    session.onSignedOut((why) => {
      setReason(why ?? null);
      setSignedIn(false);
    });
  }, []);

  if (!signedIn) {
    return html`<${SignIn} reason=${reason} onSignedIn=${() => setSignedIn(true)} />`;
  }
  return html`<${Shell} route=${route}>${page(route)}</${Shell}>`;
}

function page({ path, params }) {
  const eventPage = /^\/events\/(.+)$/.exec(path);
  if (eventPage) return html`<${EventDetailView} messageId=${decodeURIComponent(eventPage[1])} />`;
  if (path === '/events') return html`<${EventsView} params=${params} />`;
  return html`<${IntegrationsView} />`;
}

function Shell({ route, children }) {
  const principal = session.principal();
  const section = route.path.startsWith('/events') ? 'events' : 'integrations';
  const tab = (name, href, label) =>
    html`<a href=${href} class=${section === name ? 'active' : ''}>${label}</a>`;
  return html`<div class="shell">
    <nav class="topbar">
      <span class="brand">avvyr-integrations</span>
      ${tab('integrations', '#/integrations', 'Integrations')}
      ${tab('events', '#/events', 'Events')}
      <a href="/queues" target="_blank" rel="noopener">Bull Board ↗</a>
      <a href="/docs" target="_blank" rel="noopener">API docs ↗</a>
      <span class="spacer"></span>
      ${
        principal &&
        html`<span
          class="principal"
          title=${`expires ${new Date(principal.exp * 1000).toLocaleString()}`}
        >
          ${principal.sub} · ${principal.accountId}
        </span>`
      }
      <button type="button" class="secondary small" onClick=${() => session.signOut()}>
        Sign out
      </button>
    </nav>
    ${children}
  </div>`;
}

const root = document.getElementById('app');
root.textContent = ''; // drop the "Loading…" placeholder: render() adds to what is there
render(html`<${App} />`, root);
