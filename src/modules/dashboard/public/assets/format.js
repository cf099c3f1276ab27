import { prefs } from './prefs.js';

const pad = (n, width = 2) => String(n).padStart(width, '0');

/** The parts of a date in the chosen zone: UTC, or the browser's own. */
function parts(d, zone) {
  return zone === 'utc'
    ? [
        d.getUTCFullYear(),
        d.getUTCMonth() + 1,
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        d.getUTCMilliseconds(),
      ]
    : [
        d.getFullYear(),
        d.getMonth() + 1,
        d.getDate(),
        d.getHours(),
        d.getMinutes(),
        d.getSeconds(),
        d.getMilliseconds(),
      ];
}

/** "UTC", or the browser zone's short name at that date ("GMT+1", "EST"). */
export function zoneLabel(value = new Date(), zone = prefs.timeZone()) {
  if (zone === 'utc') return 'UTC';
  const named = new Intl.DateTimeFormat('en-GB', { timeZoneName: 'short' })
    .formatToParts(new Date(value))
    .find((p) => p.type === 'timeZoneName');
  return named?.value ?? 'local';
}

/** The browser's zone name, for the switch ("Europe/Paris"). */
export function localZoneName() {
  return Intl.DateTimeFormat().resolvedOptions().timeZone ?? 'local';
}

/** A time to the millisecond (steps of one message are often ms apart), with its zone. */
export function formatTime(value, { ms = true, zone = prefs.timeZone() } = {}) {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return String(value);
  const [y, mo, da, h, mi, s, mss] = parts(d, zone);
  const time = `${y}-${pad(mo)}-${pad(da)} ${pad(h)}:${pad(mi)}:${pad(s)}${ms ? `.${pad(mss, 3)}` : ''}`;
  return `${time} ${zoneLabel(d, zone)}`;
}

/** Hours and minutes only (chart axes), in the chosen zone. */
export function formatClock(value, zone = prefs.timeZone()) {
  const [, mo, da, h, mi] = parts(new Date(value), zone);
  return { date: `${pad(mo)}-${pad(da)}`, time: `${pad(h)}:${pad(mi)}` };
}

/** How long ago, in words: "3 min", "2 h 5 min". */
export function formatAge(value, now = Date.now()) {
  const seconds = Math.max(0, Math.round((now - new Date(value).getTime()) / 1000));
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h ${minutes % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

/** A datetime-local input's value, read in the chosen zone, as ISO 8601; or undefined. */
export function inputToIso(value, zone = prefs.timeZone()) {
  if (!value) return undefined;
  const d = new Date(zone === 'utc' ? `${value}Z` : value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** An ISO time as a datetime-local input's value in the chosen zone. */
export function isoToInput(value, zone = prefs.timeZone()) {
  if (!value) return '';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  const [y, mo, da, h, mi] = parts(d, zone);
  return `${y}-${pad(mo)}-${pad(da)}T${pad(h)}:${pad(mi)}`;
}

export function formatJson(value) {
  return JSON.stringify(value, null, 2);
}

export function formatPercent(rate) {
  if (rate === null || rate === undefined) return '—';
  return `${(rate * 100).toFixed(rate < 0.1 && rate > 0 ? 1 : 0)} %`;
}
