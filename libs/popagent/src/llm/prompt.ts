import type { ChatMessage, quoteUntrusted } from '@trading-ml/llm-reasoning';
import type { NewsItem } from '@trading-ml/market-data';
import type { PopAgentProposal } from '../engineTypes.js';

/** Default number of selected methods shown in a prompt (the most selected first). */
export const DEFAULT_PROMPT_METHODS = 5;
/** Default number of headlines shown in a condition-D prompt (newest first). */
export const DEFAULT_PROMPT_HEADLINES = 8;

/** What a PopAgent B/D prompt is built from; everything is known at `proposal.time`. */
export interface PopAgentPromptInput {
  readonly symbol: string;
  /** e.g. '4h'. */
  readonly timeframe: string;
  readonly proposal: PopAgentProposal;
  /** Agents in the population. */
  readonly population: number;
  readonly allowShort: boolean;
  /** The view is held for this many decisions (see `llmEvery`). */
  readonly every: number;
  /** One-line description of each inventory method, by name (trusted: the library's own text). */
  readonly descriptions: Readonly<Record<string, string>>;
  /** At most this many selected methods are shown. */
  readonly maxMethods: number;
  /**
   * Condition D: the headlines to show (published strictly before `proposal.time`, newest first; untrusted, they
   * are quoted); undefined in condition B (no news at all in the prompt).
   */
  readonly headlines?: readonly NewsItem[];
  /**
   * `quoteUntrusted` from @trading-ml/llm-reasoning. Passed in rather than imported so that loading this package
   * (every A/C run, every worker thread) does not load the LLM client's modules; the B/D path loads them lazily.
   */
  readonly quote: typeof quoteUntrusted;
}

/** A prompt and the ids its answer may cite. */
export interface PopAgentPrompt {
  readonly messages: readonly ChatMessage[];
  /** The offered method names, then the headline ids 'h1', 'h2', … (D). */
  readonly allowedCitationIds: readonly string[];
}

const REGIMES = ['bear', 'neutral', 'bull'] as const;

/** Fixed decimals keep the text (hence the cache key) identical wherever the same numbers recur. */
function signed(value: number, digits = 4): string {
  const text = Math.abs(value).toFixed(digits);
  return Number(text) === 0 ? text : `${value < 0 ? '-' : '+'}${text}`;
}

/** The methods the agents selected at this decision, most selected first, inventory order among ties. */
export function selectedMethods(proposal: PopAgentProposal, maxMethods: number): PopAgentProposal['methods'] {
  return proposal.methods
    .map((method, index) => ({ method, index }))
    .filter(({ method }) => method.selectedBy > 0)
    .sort((a, b) => b.method.selectedBy - a.method.selectedBy || a.index - b.index)
    .slice(0, maxMethods)
    .map(({ method }) => method);
}

/**
 * Builds the user message of a condition-B or -D decision: the population's proposal (exposure, regime
 * posterior, volatility, forecasts, the most selected methods with their signals and agent counts), in D the VADER
 * sentiment and the recent headlines as quoted untrusted data, and the rule that turns the answer into the
 * committed exposure. The LLM client adds the system message (answer schema, allowed ids, the rule that quoted
 * data is not instructions) itself.
 *
 * Only values known at `proposal.time` appear; the caller chooses headlines published strictly before it.
 *
 * @param input - see {@link PopAgentPromptInput}.
 * @returns the messages and the citation ids the answer may use (method names offered; 'h1'… for headlines).
 * @throws ConfigError from `quoteUntrusted` only for data that cannot be JSON (never for NewsItems).
 * @see `quoteUntrusted` (OWASP LLM01: segregate external content); `combineExposure` (how the answer is applied).
 * @example
 * const { messages, allowedCitationIds } = buildPopAgentPrompt({ symbol: 'BTC/USDT', timeframe: '4h', proposal,
 *   population: 10, allowShort: false, every: 6, descriptions, maxMethods: 5, quote: quoteUntrusted });
 * allowedCitationIds; // e.g. ['momentum', 'macd', 'stayFlat']
 */
export function buildPopAgentPrompt(input: PopAgentPromptInput): PopAgentPrompt {
  const { proposal } = input;
  const methods = selectedMethods(proposal, input.maxMethods);
  const flat = input.allowShort ? '−1 (fully short)' : '0 (flat; shorting is not allowed)';
  const lines: string[] = [
    `Trading decision for ${input.symbol} on ${input.timeframe} bars at ${new Date(proposal.time).toISOString()}, the close of the latest bar; nothing after it is known.`,
    `A population of ${input.population} agents (Thompson sampling over trading methods) proposes a target exposure of ${signed(proposal.exposure)} (fraction of equity; ${input.allowShort ? 'from −1 fully short to +1 fully long' : 'from 0 flat to +1 fully long'}).`,
    `How your answer is applied, with p the proposed exposure and c your confidence: BUY moves the exposure toward +1 (fully long): p + c·(1 − p); SELL moves it toward ${flat}; HOLD keeps p. Confidence 0 keeps p whatever the action. Your view is held for the next ${input.every} decision${input.every === 1 ? '' : 's'} and applied to the population's exposure at each of them.`,
    '',
    'Market state at this close:',
  ];
  const posterior = proposal.regimePosterior;
  lines.push(
    posterior === null
      ? '- regime (HMM): not warmed up yet'
      : `- regime (HMM posterior): ${REGIMES.map((name, i) => `${name} ${(posterior[i] ?? 0).toFixed(3)}`).join(', ')}; most probable ${proposal.regime}`,
  );
  lines.push(proposal.volatility === null ? '- volatility forecast: not warmed up yet' : `- volatility forecast (EWMA, standard deviation of the next bar's return): ${(proposal.volatility * 100).toFixed(3)} % per bar`);
  const forecast = (value: number | null) => (value === null ? 'n/a' : signed(value, 3));
  lines.push(
    `- model forecasts of the return in volatility units: next bar sgd ${forecast(proposal.forecasts.sgd)}, rls ${forecast(proposal.forecasts.rls)}; next 6 bars ${forecast(proposal.forecasts.medium)}`,
  );
  if (input.headlines !== undefined) {
    lines.push(`- news sentiment (VADER compound, decayed with a 24 h half-life, in (−1, 1)): ${proposal.sentiment === null ? 'n/a' : signed(proposal.sentiment, 3)}`);
  }
  lines.push('', `Methods the agents selected (id: signal in [−1, 1], +1 = fully long; agents that selected it, of ${input.population}; rule):`);
  if (methods.length === 0) lines.push('- none');
  for (const method of methods) {
    lines.push(`- ${method.name}: ${signed(method.signal)}; ${method.selectedBy} of ${input.population}; ${input.descriptions[method.name] ?? ''}`.trimEnd());
  }
  const headlineIds: string[] = [];
  if (input.headlines !== undefined) {
    lines.push('');
    if (input.headlines.length === 0) {
      lines.push('Recent headlines: none were published in the look-back window before this close.');
    } else {
      const quoted = input.headlines.map((item, i) => {
        const id = `h${i + 1}`;
        headlineIds.push(id);
        return { id, time: new Date(item.time).toISOString(), source: item.source, headline: item.headline };
      });
      lines.push(`Recent headlines about ${input.symbol.split('/')[0]} or the crypto market, published before this close, newest first (id, time, source, headline):`);
      lines.push(input.quote(quoted, { label: 'headlines' }));
    }
  }
  lines.push('', `Decide BUY, SELL or HOLD. Cite the method ids${input.headlines === undefined ? '' : ' and headline ids'} your decision relies on.`);
  return {
    messages: [{ role: 'user', content: lines.join('\n') }],
    allowedCitationIds: [...methods.map((method) => method.name), ...headlineIds],
  };
}
