// Time-series charts with uPlot (served from node_modules like Preact): small, fast, canvas.
import uPlot from 'uplot';
import { useEffect, useRef } from 'preact/hooks';
import { html } from './html.js';
import { prefs } from './prefs.js';
import { formatClock, zoneLabel } from './format.js';

/** Distinct in light and dark themes; assigned to series in order. */
export const PALETTE = [
  '#2f81f7',
  '#d4670b',
  '#1f9d55',
  '#a371f7',
  '#db2777',
  '#0e9aa7',
  '#b08800',
];

const cssVar = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/**
 * A line chart of `series` ([{label, values, color}]) over `time` (epoch ms). Drawn again when the
 * data, the theme or the time zone changes, and resized with its box.
 */
export function TimeChart({ id, label, time, series, formatValue = (v) => String(v), yRange }) {
  const box = useRef(null);
  const theme = document.documentElement.dataset.theme ?? 'auto';
  const zone = prefs.timeZone();
  useEffect(() => {
    const element = box.current;
    if (!element) return undefined;
    const text = cssVar('--muted');
    const grid = cssVar('--grid');
    const axis = {
      stroke: text,
      grid: { stroke: grid, width: 1 },
      ticks: { stroke: grid, width: 1 },
    };
    const chart = new uPlot(
      {
        width: Math.max(element.clientWidth, 200),
        height: 220,
        ms: 1,
        tzDate: (ts) => (zone === 'utc' ? uPlot.tzDate(new Date(ts), 'Etc/UTC') : new Date(ts)),
        legend: { live: true },
        cursor: { drag: { x: false, y: false } },
        scales: { y: { range: yRange ?? ((_u, _min, max) => [0, Math.max(1, max * 1.1)]) } },
        axes: [
          {
            ...axis,
            values: (_u, ticks) =>
              ticks.map((t) => {
                const { date, time: clock } = formatClock(t, zone);
                return clock === '00:00' ? date : clock;
              }),
          },
          { ...axis, size: 56, values: (_u, ticks) => ticks.map(formatValue) },
        ],
        series: [
          {
            label: 'Time',
            value: (_u, t) =>
              t == null
                ? '—'
                : `${formatClock(t, zone).date} ${formatClock(t, zone).time} ${zoneLabel(t, zone)}`,
          },
          ...series.map((s) => ({
            label: s.label,
            stroke: s.color,
            width: 2,
            points: { show: time.length <= 60 },
            value: (_u, v) => (v == null ? '—' : formatValue(v)),
          })),
        ],
      },
      [time, ...series.map((s) => s.values)],
      element,
    );
    const resize = new ResizeObserver(() =>
      chart.setSize({ width: Math.max(element.clientWidth, 200), height: 220 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      chart.destroy();
    };
  }, [JSON.stringify([time, series]), theme, zone]);
  return html`<div class="chart" id=${id} role="img" aria-label=${label} ref=${box}></div>
    <p class="muted small chart-zone">Times in ${zoneLabel(Date.now(), zone)}</p>`; // as every time says its zone
}
