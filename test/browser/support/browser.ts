import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, Browser, BrowserContext, Page } from 'playwright-core';

/** Debian's Chromium (scripts/setup.sh installs it): playwright-core drives it, nothing is downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** Screenshots of every browser test, kept as artifacts (git-ignored). */
export const ARTIFACTS_DIR = join(__dirname, '..', '..', '..', 'test-artifacts', 'browser');

/**
 * Headless Chromium with a fresh temporary profile (playwright-core makes one per launch). The
 * background-networking flags stop Chromium from calling home, which this closed network
 * refuses and which otherwise disturbs its own connections.
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: run \`bash scripts/setup.sh\``);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** A new browser profile (no cookies, no storage) with a desktop-sized window. */
export function newContext(browser: Browser, baseURL: string): Promise<BrowserContext> {
  return browser.newContext({ baseURL, viewport: { width: 1366, height: 900 } });
}

/** The README's screenshots: written by the browser tests when UPDATE_SCREENSHOTS=1. */
export const DOCS_SCREENSHOTS_DIR = join(__dirname, '..', '..', '..', 'docs', 'screenshots');

export async function screenshot(
  page: Page,
  name: string,
  { docs = false }: { docs?: boolean } = {},
): Promise<string> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  const path = join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  if (docs && process.env.UPDATE_SCREENSHOTS === '1') {
    mkdirSync(DOCS_SCREENSHOTS_DIR, { recursive: true });
    copyFileSync(path, join(DOCS_SCREENSHOTS_DIR, `${name}.png`));
  }
  return path;
}

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Runs axe-core (WCAG 2.1 A and AA rules) in the page and returns the serious and critical
 * violations. Evaluated through the DevTools protocol, so the page's CSP does not stop it.
 */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, evaluated in the page (this project's TypeScript has no DOM types).
  const violations = await page.evaluate<{ id: string; impact: string; nodes: string[] }[]>(`axe
    .run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
    .then((result) => result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      nodes: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    })))`);
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.nodes.join(', ')}`);
}

/** The page is no wider than its window: nothing makes it scroll sideways. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
}

/** Errors the page's scripts threw or logged: a working page has none. */
export function collectPageErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}
