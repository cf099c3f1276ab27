import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NOTIFICATION_KINDS } from '../avasam';
import { SUPPORTED_ACTIONS } from '../inbound';

/** The dashboard's own files: copied next to the compiled code by nest-cli.json "assets". */
export const DASHBOARD_PUBLIC_DIR = join(__dirname, 'public');

/**
 * The browser modules the dashboard imports, served from the installed npm packages (no
 * bundler, no copy to keep in sync): the import map in index.html names them.
 */
export function vendorModules(): Record<string, string> {
  const files: Record<string, string> = {
    'preact.mjs': join(dirname(require.resolve('preact')), 'preact.mjs'),
    'preact-hooks.mjs': join(dirname(require.resolve('preact/hooks')), 'hooks.mjs'),
    'htm.mjs': join(dirname(require.resolve('htm')), 'htm.mjs'),
    // uPlot's package names no exports: its ES module and stylesheet sit in dist/.
    'uplot.mjs': join(dirname(require.resolve('uplot/package.json')), 'dist', 'uPlot.esm.js'),
    'uplot.css': join(dirname(require.resolve('uplot/package.json')), 'dist', 'uPlot.min.css'),
  };
  const modules: Record<string, string> = {};
  for (const [name, path] of Object.entries(files)) {
    if (!existsSync(path)) throw new Error(`Dashboard module ${name} not found at ${path}`);
    modules[name] = readFileSync(path, 'utf8');
  }
  return modules;
}

/** The actions of both sources, as the events list offers them (from the registries themselves). */
export function knownActions(): { sources: { source: string; actions: string[] }[] } {
  return {
    sources: [
      { source: 'inbound', actions: [...SUPPORTED_ACTIONS] },
      { source: 'avasam', actions: Object.values(NOTIFICATION_KINDS).map((kind) => kind.action) },
    ],
  };
}

/** index.html and the CSP that allows exactly its inline import map and nothing else inline. */
export function dashboardPage(): { html: string; csp: string } {
  const html = readFileSync(join(DASHBOARD_PUBLIC_DIR, 'index.html'), 'utf8');
  const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)?.[1];
  if (importMap === undefined) throw new Error('Dashboard index.html has no import map');
  const hash = createHash('sha256').update(importMap).digest('base64');
  const csp = [
    "default-src 'self'",
    `script-src 'self' 'sha256-${hash}'`,
    "style-src 'self'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, csp };
}
