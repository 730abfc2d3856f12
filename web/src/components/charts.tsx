/**
 * Small charts drawn in SVG, with no library: horizontal bars against a reference mark (working
 * time against its budget) and a trend of several series over periods. Each chart has a visible
 * title, every bar and point carries its number as text, and series differ by line pattern and
 * point shape as well as colour, so a chart reads the same printed in black and white.
 */
import type { ReactNode } from 'react';

export interface BarRow {
  label: string;
  value: number;
  /** A reference on the same scale (e.g. the legal budget), drawn as a mark across the bar. */
  reference?: number;
  /** The number written after the bar. */
  valueText: string;
  /** Past the reference: drawn hatched, not only in another colour. */
  over?: boolean;
}

const LABEL_W = 190;
const BAR_H = 22;
const GAP = 10;
const LABEL_LINE = 13;

let measuring: CanvasRenderingContext2D | null | undefined;

/** The width of a label as the page draws it (12 px in the page's font); a rough estimate where no canvas is at hand. */
function labelWidth(text: string): number {
  measuring ??= typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
  if (!measuring) return text.length * 7;
  measuring.font = `12px ${getComputedStyle(document.documentElement).fontFamily}`;
  return measuring.measureText(text).width;
}

/**
 * A label broken into lines of at most `max` pixels at its spaces (at most three lines, the last
 * one shortened with "…", the whole label staying in the bar's tooltip), so a long one — "Tiếp
 * nhận, quét và trình ký (phức tạp)" — is never cut at the chart's left edge.
 */
export function wrapLabel(text: string, max: number, width: (t: string) => number = labelWidth): string[] {
  const lines: string[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const last = lines[lines.length - 1];
    if (last !== undefined && width(`${last} ${word}`) <= max) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  if (lines.length <= 3) return lines;
  let third = lines.slice(2).join(' ');
  while (third.length > 1 && width(`${third}…`) > max) third = third.slice(0, -1).trimEnd();
  return [lines[0]!, lines[1]!, `${third}…`];
}

/** `valueWidth`: room kept right of the bars for their numbers, so the longest text is never cut. */
export function BarChart(props: { title: string; rows: BarRow[]; referenceLabel?: string; width?: number; valueWidth?: number; testId?: string }) {
  const width = props.width ?? 560;
  const plot = width - LABEL_W - (props.valueWidth ?? 60);
  const max = Math.max(1, ...props.rows.map((r) => Math.max(r.value, r.reference ?? 0)));
  // A row is as tall as its bar, or as its label when that takes more lines.
  const labels = props.rows.map((r) => wrapLabel(r.label, LABEL_W - 12));
  const rowHeights = labels.map((lines) => Math.max(BAR_H, lines.length * LABEL_LINE));
  const tops = rowHeights.map((_, i) => GAP + rowHeights.slice(0, i).reduce((a, h) => a + h + GAP, 0));
  const height = rowHeights.reduce((a, h) => a + h + GAP, GAP) + (props.referenceLabel ? 18 : 0);
  const x = (v: number) => LABEL_W + (v / max) * plot;
  return (
    <figure className="chart" data-testid={props.testId}>
      <figcaption className="chart-title">{props.title}</figcaption>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title}>
        <defs>
          <pattern id="chart-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" className="chart-bar-over" />
            <line x1="0" y1="0" x2="0" y2="6" className="chart-hatch-line" />
          </pattern>
        </defs>
        {props.rows.map((r, i) => {
          const y = tops[i]! + (rowHeights[i]! - BAR_H) / 2;
          return (
            <g key={r.label}>
              <ChartLabel lines={labels[i]!} x={LABEL_W - 8} y={y + BAR_H / 2} />
              <rect x={LABEL_W} y={y} width={Math.max(1, x(r.value) - LABEL_W)} height={BAR_H} className="chart-bar" fill={r.over ? 'url(#chart-hatch)' : undefined}>
                <title>{`${r.label}: ${r.valueText}`}</title>
              </rect>
              {r.reference !== undefined ? <line x1={x(r.reference)} x2={x(r.reference)} y1={y - 3} y2={y + BAR_H + 3} className="chart-reference" /> : null}
              <text x={Math.max(x(r.value), r.reference !== undefined ? x(r.reference) : 0) + 8} y={y + BAR_H / 2} className="chart-value" dominantBaseline="middle">
                {r.valueText}
              </text>
            </g>
          );
        })}
        {props.referenceLabel ? (
          <g>
            <line x1={LABEL_W} x2={LABEL_W} y1={height - 14} y2={height - 2} className="chart-reference" />
            <text x={LABEL_W + 6} y={height - 8} className="chart-legend" dominantBaseline="middle">
              {props.referenceLabel}
            </text>
          </g>
        ) : null}
      </svg>
    </figure>
  );
}

/**
 * A bar's label right-aligned before it, on as many lines as it needs, centred on the bar. Each
 * line but the last ends with its space, so the text reads whole to a screen reader (and a test).
 */
function ChartLabel(props: { lines: string[]; x: number; y: number }) {
  const { lines } = props;
  const top = props.y - ((lines.length - 1) * LABEL_LINE) / 2;
  return (
    <text x={props.x} y={top} className="chart-label" textAnchor="end" dominantBaseline="middle">
      {lines.map((line, i) => (
        <tspan key={i} x={props.x} y={top + i * LABEL_LINE}>
          {i < lines.length - 1 ? `${line} ` : line}
        </tspan>
      ))}
    </text>
  );
}

export interface Series {
  name: string;
  values: number[];
}

/** Up to four series, each with its own dash pattern and point shape. */
const STYLES = [
  { dash: undefined, shape: 'circle' },
  { dash: '6 4', shape: 'square' },
  { dash: '2 3', shape: 'triangle' },
  { dash: '10 3 2 3', shape: 'diamond' },
] as const;

function Point(props: { shape: (typeof STYLES)[number]['shape']; x: number; y: number; className: string; children: ReactNode }) {
  const { x, y, shape, className } = props;
  if (shape === 'circle') return <circle cx={x} cy={y} r={4} className={className}>{props.children}</circle>;
  if (shape === 'square') return <rect x={x - 4} y={y - 4} width={8} height={8} className={className}>{props.children}</rect>;
  if (shape === 'triangle') return <polygon points={`${x},${y - 5} ${x + 5},${y + 4} ${x - 5},${y + 4}`} className={className}>{props.children}</polygon>;
  return <polygon points={`${x},${y - 5} ${x + 5},${y} ${x},${y + 5} ${x - 5},${y}`} className={className}>{props.children}</polygon>;
}

/** A line per series over the periods; the axis shows whole numbers, each point its value on hover and in the legend's totals. */
export function TrendChart(props: { title: string; periods: string[]; series: Series[]; width?: number; testId?: string }) {
  const width = props.width ?? 640;
  const height = 230;
  const left = 36;
  const right = 12;
  const top = 12;
  const bottom = 46;
  const n = props.periods.length;
  const max = Math.max(1, ...props.series.flatMap((s) => s.values));
  const step = n > 1 ? (width - left - right) / (n - 1) : 0;
  const x = (i: number) => (n > 1 ? left + i * step : (left + width - right) / 2);
  const y = (v: number) => top + (1 - v / max) * (height - top - bottom);
  const ticks = Array.from(new Set([0, Math.round(max / 2), max]));
  // Label at most about 12 periods so the dates stay readable.
  const every = Math.max(1, Math.ceil(n / 12));
  return (
    <figure className="chart" data-testid={props.testId}>
      <figcaption className="chart-title">{props.title}</figcaption>
      <svg width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label={props.title}>
        {ticks.map((t) => (
          <g key={t}>
            <line x1={left} x2={width - right} y1={y(t)} y2={y(t)} className="chart-grid" />
            <text x={left - 6} y={y(t)} className="chart-axis" textAnchor="end" dominantBaseline="middle">
              {t}
            </text>
          </g>
        ))}
        {props.periods.map((p, i) =>
          i % every === 0 ? (
            // The last date ends at its point rather than running past the chart's right edge.
            <text key={p} x={x(i)} y={height - bottom + 16} className="chart-axis" textAnchor={n > 1 && i === n - 1 ? 'end' : 'middle'}>
              {p}
            </text>
          ) : null,
        )}
        {props.series.map((s, k) => {
          const style = STYLES[k % STYLES.length];
          return (
            <g key={s.name} className={`chart-series chart-series-${k}`}>
              <polyline points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(' ')} className="chart-line" strokeDasharray={style.dash} />
              {s.values.map((v, i) => (
                <Point key={i} shape={style.shape} x={x(i)} y={y(v)} className="chart-point">
                  <title>{`${s.name} — ${props.periods[i]}: ${v}`}</title>
                </Point>
              ))}
            </g>
          );
        })}
        {props.series.map((s, k) => {
          const style = STYLES[k % STYLES.length];
          const lx = left + k * Math.min(150, (width - left) / Math.max(1, props.series.length));
          const ly = height - 12;
          return (
            <g key={s.name} className={`chart-series chart-series-${k}`}>
              <line x1={lx} x2={lx + 24} y1={ly} y2={ly} className="chart-line" strokeDasharray={style.dash} />
              <Point shape={style.shape} x={lx + 12} y={ly} className="chart-point">
                <title>{s.name}</title>
              </Point>
              <text x={lx + 30} y={ly} className="chart-legend" dominantBaseline="middle">
                {`${s.name} (${s.values.reduce((a, b) => a + b, 0)})`}
              </text>
            </g>
          );
        })}
      </svg>
    </figure>
  );
}
