// Per-browser display choices, kept in localStorage: the time zone times are shown in, and the
// colour theme. Components re-render through the App when one changes (see app.js).
const ZONE_KEY = 'avvyr.timeZone';
const THEME_KEY = 'avvyr.theme';
const listeners = new Set();

function read(key, allowed, fallback) {
  try {
    const value = localStorage.getItem(key);
    return allowed.includes(value) ? value : fallback;
  } catch {
    return fallback;
  }
}

function write(key, value) {
  try {
    localStorage.setItem(key, value);
  } catch {
    // storage refused (private mode): the choice lasts for this page only
  }
  for (const listener of listeners) listener();
}

export const prefs = {
  /** 'utc' or 'local' (the browser's zone). */
  timeZone: () => read(ZONE_KEY, ['utc', 'local'], 'local'),
  setTimeZone: (zone) => write(ZONE_KEY, zone),
  /** 'auto' follows prefers-color-scheme; 'light' and 'dark' override it. */
  theme: () => read(THEME_KEY, ['auto', 'light', 'dark'], 'auto'),
  setTheme(theme) {
    applyTheme(theme);
    write(THEME_KEY, theme);
  },
  subscribe(listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** The theme is an attribute on <html>, which the stylesheet's variables key on. */
export function applyTheme(theme = prefs.theme()) {
  if (theme === 'auto') delete document.documentElement.dataset.theme;
  else document.documentElement.dataset.theme = theme;
}
