import { describe, expect, it } from 'vitest';
import vader from 'vader-sentiment';
import { ConfigError } from '@trading-ml/core';
import type { NewsItem } from '@trading-ml/market-data';
import { baseAsset, headlineSentiment, NEWS_HALF_LIFE_MS, NewsSentiment, scoreHeadlines } from './sentiment.js';
import type { ScoredNewsItem } from './sentiment.js';

const H = 3_600_000;
const item = (time: number, symbol: string, headline: string): NewsItem => ({ time, symbol, source: 'test', headline, url: '' });

describe('NewsSentiment', () => {
  const good = 'Bitcoin rallies to a great record high, investors are happy';
  const bad = 'Crypto exchange hacked, terrible losses and panic';
  const cGood = vader.SentimentIntensityAnalyzer.polarity_scores(good).compound;
  const cBad = vader.SentimentIntensityAnalyzer.polarity_scores(bad).compound;

  it('scores headlines with VADER', () => {
    expect(cGood).toBeGreaterThan(0.5);
    expect(cBad).toBeLessThan(-0.5);
    expect(headlineSentiment(good)).toBe(cGood);
    expect(baseAsset('BTC/USDT')).toBe('BTC');
    expect(baseAsset('TSLA')).toBe('TSLA');
  });

  it('is the decayed mean Σwc/(1 + Σw) over headlines strictly before t, base asset and CRYPTO only', () => {
    const news = [item(0, 'BTC', good), item(12 * H, 'CRYPTO', bad), item(13 * H, 'ETH', bad), item(48 * H, 'BTC', bad)];
    const s = new NewsSentiment({ news, symbol: 'BTC/USDT' });
    expect(s.size).toBe(3);
    expect(s.at(0)).toBe(0); // the headline at t = 0 is not known before t = 0 has passed
    // t = 24 h: weights 2^(−24/24) = 0.5 (good) and 2^(−12/24) = 0.7071 (bad); the ETH headline is ignored
    const w1 = 0.5;
    const w2 = Math.SQRT1_2;
    expect(s.at(24 * H)).toBeCloseTo((w1 * cGood + w2 * cBad) / (1 + w1 + w2), 12);
    // t = 48 h exactly: the 48 h headline is still excluded (time < t is required)
    expect(s.at(48 * H)).toBeCloseTo((0.25 * cGood + 0.5 ** 1.5 * cBad) / (1 + 0.25 + 0.5 ** 1.5), 12);
    // one millisecond later it counts with weight ≈ 1
    const w3 = 2 ** (-1 / NEWS_HALF_LIFE_MS);
    const d = 2 ** (-(48 * H + 1) / NEWS_HALF_LIFE_MS);
    const dBad = 2 ** (-(36 * H + 1) / NEWS_HALF_LIFE_MS);
    expect(s.at(48 * H + 1)).toBeCloseTo((d * cGood + dBad * cBad + w3 * cBad) / (1 + d + dBad + w3), 12);
  });

  it('rejects time going backwards and a bad half-life', () => {
    const s = new NewsSentiment({ news: [], symbol: 'BTC/USDT' });
    s.at(10);
    expect(() => s.at(5)).toThrow(ConfigError);
    expect(() => new NewsSentiment({ news: [], symbol: 'BTC/USDT', halfLifeMs: 0 })).toThrow(ConfigError);
  });

  it('uses precomputed scores from scoreHeadlines and gives the same sentiment as scoring on the fly', () => {
    const news = [item(0, 'BTC', good), item(12 * H, 'CRYPTO', bad), item(30 * H, 'BTC', 'A calm day for markets')];
    const scored = scoreHeadlines(news);
    expect(scored.map((n) => n.sentiment)).toEqual(news.map((n) => vader.SentimentIntensityAnalyzer.polarity_scores(n.headline).compound));
    expect(scored[0]).toMatchObject(news[0]!); // the original fields are kept
    const onTheFly = new NewsSentiment({ news, symbol: 'BTC/USDT' });
    const fromScores = new NewsSentiment({ news: scored, symbol: 'BTC/USDT' });
    for (const t of [6 * H, 24 * H, 40 * H]) expect(fromScores.at(t)).toBe(onTheFly.at(t));
    // a given score is used as it is, not recomputed from the text
    const plantedItem: ScoredNewsItem = { ...news[0]!, sentiment: -1 };
    const planted = new NewsSentiment({ news: [plantedItem], symbol: 'BTC/USDT' });
    expect(planted.at(24 * H)).toBeCloseTo((0.5 * -1) / 1.5, 12);
  });

  it('restore resumes the cursor after every headline older than the last query, even with extra older headlines', () => {
    const news = [item(0, 'BTC', good), item(12 * H, 'CRYPTO', bad), item(30 * H, 'BTC', 'A calm day for markets'), item(50 * H, 'BTC', good)];
    const times = [6 * H, 24 * H, 40 * H, 60 * H, 80 * H];
    const full = new NewsSentiment({ news, symbol: 'BTC/USDT' });
    const expected = times.map((t) => full.at(t));
    const first = new NewsSentiment({ news, symbol: 'BTC/USDT' });
    first.at(times[0]!);
    first.at(times[1]!);
    // a late-arriving older headline in the restoring instance's list is not folded in twice
    const resumed = new NewsSentiment({ news: [...news, item(5 * H, 'BTC', bad)], symbol: 'BTC/USDT' });
    resumed.restore(JSON.parse(JSON.stringify(first.snapshot())));
    expect(times.slice(2).map((t) => resumed.at(t))).toEqual(expected.slice(2));
    expect(() => resumed.restore({ lastTime: null, weightedSum: 1, weightTotal: 0 })).toThrow(/field "weightTotal"/);
  });
});
