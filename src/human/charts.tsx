import type { DayCount, StageValue } from '../workspaces/overview.js';
import { formatCompact, formatDay, formatMoney } from './format.js';

/**
 * Charts as server-rendered SVG: no script, no chart library, no CDN. Each chart has a title and
 * a description for screen readers, and its numbers as a table under "Show as table".
 */

/** Narrow viewBoxes keep the labels readable when a chart shrinks to a phone's width. */
const WIDTH = 400;

/** Open pipeline value by deal stage, one chart per currency (amounts in different currencies do not add up). */
export function PipelineChart(props: { id: string; rows: StageValue[] }) {
  if (props.rows.length === 0) return <p class="muted">No open deals yet.</p>;
  const rows = [...props.rows].sort(
    (a, b) => compareStages(a.stage, b.stage) || (a.currency ?? '').localeCompare(b.currency ?? ''),
  );
  const currencies = [...new Set(rows.map((row) => row.currency))].sort((a, b) =>
    a === null ? 1 : b === null ? -1 : a.localeCompare(b),
  );
  return (
    <div>
      {currencies.map((currency, index) => (
        <StageBars
          id={`${props.id}-${index}`}
          currency={currency}
          rows={rows.filter((row) => row.currency === currency)}
        />
      ))}
      <details>
        <summary>Show as table</summary>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">Open pipeline by stage</caption>
            <thead>
              <tr>
                <th scope="col">Stage</th>
                <th scope="col" class="num">
                  Open deals
                </th>
                <th scope="col" class="num">
                  Value
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <tr>
                  <td>{row.stage ?? '(no stage)'}</td>
                  <td class="num">{row.deals}</td>
                  <td class="num">{formatMoney(row.amountCents, row.currency)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

/**
 * The pipeline's order, from first touch to closing. Stage names are free-text slugs, so the usual
 * ones are placed by this list and any other stage follows them alphabetically, "(no stage)" last:
 * every currency's chart lists the same stages in the same order, whatever their value.
 */
export const STAGE_ORDER = [
  'lead',
  'new',
  'prospect',
  'prospecting',
  'contacted',
  'discovery',
  'qualification',
  'qualified',
  'demo',
  'evaluation',
  'proposal',
  'quote',
  'negotiation',
  'contract',
  'commit',
  'closing',
] as const;

export function compareStages(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  const rank = (stage: string) => {
    const index = (STAGE_ORDER as readonly string[]).indexOf(stage.toLowerCase());
    return index === -1 ? STAGE_ORDER.length : index;
  };
  return rank(a) - rank(b) || a.localeCompare(b);
}

function StageBars(props: { id: string; currency: string | null; rows: StageValue[] }) {
  // Each stage's name on its own line above its bar, so a long name is never cut by the bar; the
  // value sits after the bar, inside the box even for the longest bar.
  const rowHeight = 42;
  const valueWidth = 132;
  const barArea = WIDTH - valueWidth;
  const height = props.rows.length * rowHeight + 14;
  const max = Math.max(1, ...props.rows.map((row) => row.amountCents));
  const total = props.rows.reduce((sum, row) => sum + row.amountCents, 0);
  const label = props.currency ?? 'no currency';
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${WIDTH} ${height}`}
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-desc`}
    >
      <title id={`${props.id}-title`}>{`Open pipeline by stage (${label})`}</title>
      <desc id={`${props.id}-desc`}>
        {props.rows
          .map(
            (row) =>
              `${row.stage ?? 'no stage'}: ${formatMoney(row.amountCents, row.currency)} in ${row.deals} deal(s)`,
          )
          .join('; ')}
        {`. Total ${formatMoney(total, props.currency)}.`}
      </desc>
      <text x="0" y="13" font-size="12" font-weight="700">
        {label}
      </text>
      {props.rows.map((row, index) => {
        const y = index * rowHeight + 24;
        const width = row.amountCents > 0 ? Math.max(2, Math.round((row.amountCents / max) * barArea)) : 0;
        return (
          <g>
            <text x="0" y={y + 10} font-size="13">
              {truncateLabel(row.stage ?? '(no stage)')}
            </text>
            <rect class="bar" x="0" y={y + 15} width={width} height="14" rx="3" />
            <text x={width + 6} y={y + 26} font-size="11">
              {`${formatCompact(row.amountCents, row.currency)} · ${row.deals} deal${row.deals === 1 ? '' : 's'}`}
            </text>
          </g>
        );
      })}
    </svg>
  );
}

/** A whole line of the chart is free for the name; only a very long one is shortened. */
function truncateLabel(text: string): string {
  return text.length > 56 ? `${text.slice(0, 55)}…` : text;
}

/** One bar per day over the last `days` days, today last; days without entries are zero. */
export function DailyBars(props: {
  id: string;
  title: string;
  days: DayCount[];
  until: string;
  span?: number;
}) {
  const span = props.span ?? 30;
  const end = new Date(`${props.until.slice(0, 10)}T00:00:00.000Z`).getTime();
  const counts = new Map(props.days.map((day) => [day.day, day.count]));
  const series = Array.from({ length: span }, (_, index) => {
    const day = new Date(end - (span - 1 - index) * 86_400_000).toISOString().slice(0, 10);
    return { day, count: counts.get(day) ?? 0 };
  });
  const total = series.reduce((sum, entry) => sum + entry.count, 0);
  const max = niceMax(Math.max(...series.map((entry) => entry.count)));
  const height = 170;
  const left = 28;
  const bottom = 24;
  const top = 8;
  const plotWidth = WIDTH - left - 8;
  const plotHeight = height - bottom - top;
  const slot = plotWidth / span;
  const yOf = (value: number) => top + plotHeight - (value / max) * plotHeight;
  const busiest = series.reduce((best, entry) => (entry.count > best.count ? entry : best), series[0]!);
  return (
    <div>
      <svg
        class="chart"
        viewBox={`0 0 ${WIDTH} ${height}`}
        role="img"
        aria-labelledby={`${props.id}-title ${props.id}-desc`}
      >
        <title id={`${props.id}-title`}>{props.title}</title>
        <desc id={`${props.id}-desc`}>
          {total === 0
            ? `Nothing in the last ${span} days.`
            : `${total} in the last ${span} days; the busiest day was ${formatDay(busiest.day)} with ${busiest.count}.`}
        </desc>
        {[0, max / 2, max].map((tick) => (
          <g>
            <line class="grid-line" x1={left} x2={WIDTH - 8} y1={yOf(tick)} y2={yOf(tick)} />
            <text x={left - 5} y={yOf(tick) + 4} font-size="10" text-anchor="end">
              {String(Math.round(tick))}
            </text>
          </g>
        ))}
        {series.map((entry, index) => {
          const barHeight = (entry.count / max) * plotHeight;
          const x = left + index * slot + 1.5;
          return (
            <g>
              {entry.count > 0 ? (
                <rect
                  class="bar"
                  x={x.toFixed(1)}
                  y={yOf(entry.count).toFixed(1)}
                  width={(slot - 3).toFixed(1)}
                  height={barHeight.toFixed(1)}
                  rx="2"
                >
                  <title>{`${formatDay(entry.day)}: ${entry.count}`}</title>
                </rect>
              ) : null}
              {index % 7 === (span - 1) % 7 ? (
                <text
                  x={(index === span - 1 ? x + slot - 2 : x + slot / 2).toFixed(1)}
                  y={height - 7}
                  font-size="10"
                  text-anchor={index === span - 1 ? 'end' : 'middle'}
                >
                  {formatDay(entry.day)}
                </text>
              ) : null}
            </g>
          );
        })}
        <line class="axis" x1={left} x2={WIDTH - 8} y1={top + plotHeight} y2={top + plotHeight} />
      </svg>
      <details>
        <summary>Show as table</summary>
        <div class="table-wrap">
          <table>
            <caption class="visually-hidden">{props.title}</caption>
            <thead>
              <tr>
                <th scope="col">Day</th>
                <th scope="col" class="num">
                  Count
                </th>
              </tr>
            </thead>
            <tbody>
              {series
                .filter((entry) => entry.count > 0)
                .map((entry) => (
                  <tr>
                    <td>{entry.day}</td>
                    <td class="num">{entry.count}</td>
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </details>
    </div>
  );
}

/** A round, even upper bound for an axis, so its middle tick is a whole number: 3 → 4, 7 → 8, 13 → 20. */
export function niceMax(value: number): number {
  if (value <= 2) return 2;
  if (value <= 4) return 4;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 4, 5, 6, 8, 10]) {
    const candidate = step * magnitude;
    if (candidate >= value && candidate % 2 === 0) return candidate;
  }
  return 10 * magnitude;
}
