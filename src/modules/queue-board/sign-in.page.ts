import { BOARD_PATH, BOARD_SIGN_IN_PATH } from './board-session';

/** Where to go after signing in: only a page of the board itself (no open redirect). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && next.startsWith(BOARD_PATH) && !next.startsWith('//')
    ? next
    : BOARD_PATH;
}

/** The sign-in page is plain HTML with no script: the form posts the token to this page. */
export const SIGN_IN_PAGE_CSP =
  "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export function signInPage(options: { next: string; error?: string }): string {
  const error = options.error
    ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>`
    : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Sign in · Queues · avvyr-integrations</title>
<style>
  body { font-family: system-ui, sans-serif; background: #f4f5f7; color: #1f2328; margin: 0; }
  main { max-width: 32rem; margin: 10vh auto; background: #fff; padding: 2rem; border-radius: 8px;
         box-shadow: 0 1px 3px rgba(0,0,0,.12); }
  h1 { font-size: 1.3rem; margin-top: 0; }
  label { display: block; font-weight: 600; margin-bottom: .4rem; }
  textarea { width: 100%; box-sizing: border-box; font-family: ui-monospace, monospace; font-size: .8rem; }
  button { margin-top: 1rem; padding: .5rem 1.2rem; font-size: 1rem; background: #1f6feb; color: #fff;
           border: 0; border-radius: 6px; cursor: pointer; }
  .error { color: #b42318; background: #fef3f2; padding: .6rem; border-radius: 6px; }
  .hint { color: #57606a; font-size: .85rem; }
</style>
</head>
<body>
<main>
  <h1>Queues (Bull Board)</h1>
  <p class="hint">Sign in with an <strong>operator</strong> management token (the board shows every account's jobs). Locally: <code>npm run token -- --account acc-1 --operator</code>.</p>
  ${error}
  <form method="post" action="${BOARD_SIGN_IN_PATH}">
    <input type="hidden" name="next" value="${escapeHtml(options.next)}">
    <label for="token">Management token</label>
    <textarea id="token" name="token" rows="6" required autocomplete="off" spellcheck="false"></textarea>
    <button type="submit">Sign in</button>
  </form>
</main>
</body>
</html>
`;
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}
