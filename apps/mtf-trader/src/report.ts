/**
 * results.json and report.html of both modes. The HTML embeds its charts as inline SVG (see svg-chart.ts) and
 * reads nothing but the run's own results.
 */
import { join } from 'node:path';
import type { PerformanceSummary } from '@trading-ml/backtest';
import { ACTION_NAMES } from '@trading-ml/cnn-rl';
import { writeFileAtomic } from './atomic-write.js';
import { escapeXml, lineChart, paletteColor } from './svg-chart.js';
import type { SymbolTradeResult } from './trade.js';
import type { TrainOutcome } from './train.js';
import { chunkMeans, LOSS_CHUNK } from './training-log.js';

/** Run facts shared by both reports. */
export interface RunFacts {
  readonly command: string;
  readonly backend: { readonly name: string; readonly reason: string };
  readonly seed: number;
  readonly wallSeconds: number;
  /** Peak resident set size of the process, MB (process.resourceUsage().maxRSS). */
  readonly peakRssMb: number;
}

/** JSON replacer: ±Infinity and NaN as the strings 'Infinity', '-Infinity', 'NaN' (JSON would write null). */
function finiteOrText(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? String(value) : value;
}

function pct(x: number): string {
  return Number.isFinite(x) ? `${(100 * x).toFixed(2)} %` : String(x);
}

function num(x: number): string {
  return Number.isFinite(x) ? x.toFixed(2) : String(x);
}

/** The headline row of a summary, for tables and results.json. */
export function headline(summary: PerformanceSummary): Record<string, number | [number, number]> {
  return {
    totalReturn: summary.totalReturn,
    sharpeRatio: summary.sharpeRatio,
    sharpeInterval: [summary.sharpeInterval[0], summary.sharpeInterval[1]],
    maxDrawdown: summary.maxDrawdown,
    profitFactor: summary.profitFactor,
    winRate: summary.winRate,
    trades: summary.trades,
    fills: summary.fills,
  };
}

/**
 * A plain-text table of the trade results (strategy next to buy-and-hold).
 * @param results - one per symbol.
 * @returns the table text.
 */
export function tradeTable(results: readonly SymbolTradeResult[]): string {
  const header = ['symbol', 'system return', 'Sharpe', 'max DD', 'profit factor', 'trades', 'B&H return', 'B&H Sharpe', 'B&H max DD'];
  const rows = results.map((r) => [r.symbol, pct(r.strategy.totalReturn), num(r.strategy.sharpeRatio), pct(r.strategy.maxDrawdown), num(r.strategy.profitFactor), String(r.strategy.trades), pct(r.buyAndHold.totalReturn), num(r.buyAndHold.sharpeRatio), pct(r.buyAndHold.maxDrawdown)]);
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((row) => (row[c] as string).length)));
  const line = (cells: string[]) => cells.map((cell, c) => cell.padStart(widths[c] as number)).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}

function page(title: string, facts: RunFacts, body: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>${escapeXml(title)}</title>
<style>body{font-family:sans-serif;max-width:900px;margin:2em auto;color:#222}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#f4f4f4}code{background:#f4f4f4;padding:1px 4px}</style>
</head><body><h1>${escapeXml(title)}</h1>
<p><code>${escapeXml(facts.command)}</code><br>backend: ${escapeXml(facts.backend.name)} (${escapeXml(facts.backend.reason)}); seed ${facts.seed}; wall ${facts.wallSeconds.toFixed(1)} s; peak RSS ${facts.peakRssMb.toFixed(0)} MB</p>
${body}</body></html>\n`;
}

/**
 * Writes results.json and report.html of a trade run.
 * @param outDir - output folder.
 * @param results - one per symbol.
 * @param facts - run facts.
 * @param extra - anything else to record (window, config).
 * @returns the results object written (after report.html, whose charts render asynchronously).
 */
export async function writeTradeReport(outDir: string, results: readonly SymbolTradeResult[], facts: RunFacts, extra: Record<string, unknown>): Promise<Record<string, unknown>> {
  const json = {
    schemaVersion: 1,
    mode: 'trade',
    ...facts,
    ...extra,
    symbols: results.map((r) => ({
      symbol: r.symbol,
      from: new Date(r.firstTime).toISOString(),
      to: new Date(r.lastTime).toISOString(),
      bars: r.bars,
      barsWithoutSignal: r.barsWithoutSignal,
      system: headline(r.strategy),
      buyAndHold: headline(r.buyAndHold),
      dqnActions: Object.fromEntries(ACTION_NAMES.map((name, a) => [name, r.stats.dqnActions[a]])),
      actionsAfterGate: Object.fromEntries(ACTION_NAMES.map((name, a) => [name, r.stats.gatedActions[a]])),
      onlineTrainSteps: r.stats.trainSteps,
      meanReward: r.stats.transitions > 0 ? r.stats.rewardSum / r.stats.transitions : null,
      riskStops: r.riskStops,
    })),
  };
  writeFileAtomic(join(outDir, 'results.json'), `${JSON.stringify(json, finiteOrText, 2)}\n`);
  const rows = results
    .map((r) => `<tr><th>${escapeXml(r.symbol)}</th><td>${pct(r.strategy.totalReturn)}</td><td>${num(r.strategy.sharpeRatio)}</td><td>${pct(r.strategy.maxDrawdown)}</td><td>${num(r.strategy.profitFactor)}</td><td>${r.strategy.trades}</td><td>${pct(r.buyAndHold.totalReturn)}</td><td>${num(r.buyAndHold.sharpeRatio)}</td><td>${pct(r.buyAndHold.maxDrawdown)}</td><td>${r.stats.gatedActions.join(' / ')}</td></tr>`)
    .join('');
  const table = `<table><tr><th>symbol</th><th>return</th><th>Sharpe</th><th>max DD</th><th>profit factor</th><th>trades</th><th>B&amp;H return</th><th>B&amp;H Sharpe</th><th>B&amp;H max DD</th><th>BUY/HOLD/SELL (after gate)</th></tr>${rows}</table>`;
  const charts = (
    await Promise.all(
      results.map((r) => {
      const growth = (equity: readonly number[]) => equity.map((e) => e / (equity[0] as number));
      return lineChart({
        title: `${r.symbol}: growth of 1 (decided at each close, filled at the next open, fees and slippage)`,
        xIsTime: true,
        yLabel: 'equity / initial',
        series: [
          { name: 'CNN + DQN', x: r.strategyResult.equityCurve.time, y: growth(r.strategyResult.equityCurve.equity), color: paletteColor(0) },
          { name: 'Buy & hold', x: r.buyAndHoldResult.equityCurve.time, y: growth(r.buyAndHoldResult.equityCurve.equity), color: paletteColor(7) },
        ],
      });
      }),
    )
  ).join('\n');
  writeFileAtomic(join(outDir, 'report.html'), page('Multi-timeframe CNN + DQN: trade window', facts, `${table}\n${charts}`));
  return json;
}

/**
 * Writes training.json and report.html of a train run (the CSV curves are written as training goes).
 * @param outDir - output folder.
 * @param outcome - the training outcome.
 * @param facts - run facts.
 * @param timeframes - head order.
 * @param extra - anything else to record.
 */
export async function writeTrainReport(outDir: string, outcome: TrainOutcome, facts: RunFacts, timeframes: readonly string[], extra: Record<string, unknown>): Promise<void> {
  const json = {
    schemaVersion: 1,
    mode: 'train',
    ...facts,
    ...extra,
    cnn: { rows: outcome.cnnRows, cutoff: new Date(outcome.cutoff).toISOString(), bestEpoch: outcome.bestEpoch + 1, stoppedEarly: outcome.stoppedEarly, epochs: outcome.cnnEpochs },
    dqn: outcome.dqnEpisodes,
  };
  writeFileAtomic(join(outDir, 'training.json'), `${JSON.stringify(json, (key, value: unknown) => (key === 'losses' ? undefined : finiteOrText(key, value)), 2)}\n`);
  const epochs = outcome.cnnEpochs.map((_, i) => i + 1);
  const charts = [
    lineChart({
      title: 'CNN loss per epoch',
      yLabel: 'loss',
      series: [
        { name: 'train', x: epochs, y: outcome.cnnEpochs.map((e) => e.loss), color: paletteColor(0) },
        { name: 'validation', x: epochs, y: outcome.cnnEpochs.map((e) => e.valLoss), color: paletteColor(1) },
      ],
    }),
    lineChart({
      title: 'CNN validation accuracy per head',
      yLabel: 'accuracy',
      series: timeframes.map((tf, h) => ({ name: tf, x: epochs, y: outcome.cnnEpochs.map((e) => e.accuracy[h] ?? Number.NaN), color: paletteColor(h) })),
    }),
  ];
  const symbols = [...new Set(outcome.dqnEpisodes.map((e) => e.symbol))];
  charts.push(
    lineChart({
      title: `DQN Huber loss (mean of ${LOSS_CHUNK} train steps), all episodes`,
      yLabel: 'loss',
      series: symbols.map((symbol, i) => {
        const losses = outcome.dqnEpisodes.filter((e) => e.symbol === symbol).flatMap((e) => [...e.losses]);
        const points = chunkMeans(losses, LOSS_CHUNK);
        return { name: symbol, x: points.map(([start]) => start + LOSS_CHUNK), y: points.map(([, mean]) => mean), color: paletteColor(i) };
      }),
    }),
  );
  for (const key of ['meanLoss', 'rewardSum'] as const) {
    charts.push(
      lineChart({
        title: key === 'meanLoss' ? 'DQN mean loss per episode' : 'DQN reward per episode',
        yLabel: key === 'meanLoss' ? 'Huber loss' : 'reward',
        series: symbols.map((symbol, i) => {
          const rows = outcome.dqnEpisodes.filter((e) => e.symbol === symbol);
          return { name: symbol, x: rows.map((e) => e.episode), y: rows.map((e) => e[key]), color: paletteColor(i) };
        }),
      }),
    );
  }
  const svgs = await Promise.all(charts);
  const body = `<p>CNN: ${outcome.cnnRows} rows, best epoch ${outcome.bestEpoch + 1}${outcome.stoppedEarly ? ' (stopped early)' : ''}; DQN trained after ${new Date(outcome.cutoff).toISOString()}.</p>\n${svgs.join('\n')}`;
  writeFileAtomic(join(outDir, 'report.html'), page('Multi-timeframe CNN + DQN: training', facts, body));
}
