import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface Figure {
  id: string;
  figure: string;
  value: number;
  unit: string;
  /** e.g. ">= 0.8"; absent for figures reported without a target. */
  target?: string;
  meets?: boolean;
  command: string;
}

export function figure(
  id: string,
  label: string,
  value: number,
  unit: string,
  command: string,
  target?: { op: '>=' | '<='; limit: number },
): Figure {
  return {
    id,
    figure: label,
    value,
    unit,
    command,
    ...(target && {
      target: `${target.op} ${target.limit}`,
      meets: target.op === '>=' ? value >= target.limit : value <= target.limit,
    }),
  };
}

export function printTable(figures: Figure[]): void {
  const rows = figures.map((f) => [
    f.figure,
    `${f.value} ${f.unit}`.trim(),
    f.target ?? '',
    f.meets === undefined ? '' : f.meets ? 'meets' : 'MISSES',
  ]);
  const header = ['figure', 'value', 'target', ''];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
  process.stdout.write(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  rows.forEach((r) => process.stdout.write(`${line(r)}\n`));
  process.stdout.write('\n');
}

export function writeJson(path: string, data: unknown): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(data, null, 2)}\n`);
}
