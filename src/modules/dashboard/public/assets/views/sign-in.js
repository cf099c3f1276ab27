import { useState } from 'preact/hooks';
import { html } from '../html.js';
import { ApiError, session } from '../api.js';
import { ProblemMessage } from '../components.js';

export function SignIn({ reason, onSignedIn }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      // People paste what they have: a bare token or a whole "Bearer …" header value.
      await session.signIn(token.trim().replace(/^Bearer\s+/i, ''));
      onSignedIn();
    } catch (failure) {
      // A refused token is of no more use: clear it, so the next paste starts clean.
      if (failure instanceof ApiError && failure.status === 401) setToken('');
      setError(failure);
    } finally {
      setBusy(false);
    }
  };

  return html`<main class="sign-in card" id="main" tabindex="-1">
    <h1>Integration dashboard</h1>
    <p class="muted">
      Sign in with a management token. Locally: <code>npm run token -- --account acc-1</code> (add
      <code>--operator</code> to open Bull Board too).
    </p>
    ${reason && html`<div class="alert info" role="status">${reason}</div>`}
    <${ProblemMessage} error=${error} />
    <form onSubmit=${submit}>
      <label for="token">Management token</label>
      <textarea
        id="token"
        rows="5"
        required
        spellcheck=${false}
        autocomplete="off"
        autocapitalize="off"
        autocorrect="off"
        value=${token}
        onInput=${(e) => setToken(e.currentTarget.value)}
      ></textarea>
      <button type="submit" disabled=${busy}>${busy ? 'Signing in…' : 'Sign in'}</button>
    </form>
  </main>`;
}
