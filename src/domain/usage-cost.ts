import type { ModelRate } from './pricing-types.js';
import type { Usd } from './money.js';

/**
 * internalCost (src/domain/pricing.ts) in whole micro-dollars, in exact integer arithmetic: the
 * same figure as toMicros(internalCost(rate, input, output)), for every usage event a batch
 * prices. Big.js did the same sum in four decimal operations per event, a tenth of ingestion's CPU.
 * A rate per 1k tokens with d decimals is an integer once scaled by 10^d, so the cost is
 * (input * inScaled + output * outScaled) / (1000 * 10^d) dollars; BigInt keeps it exact at any size.
 */
interface Scaled {
  input: bigint;
  output: bigint;
  /** 10^d: the scale of both rates. */
  unit: bigint;
}

const scaledRates = new WeakMap<ModelRate, Scaled>();

function decimals(v: Usd): number {
  const [, fraction = ''] = v.toFixed().split('.');
  return fraction.length;
}

function scaled(rate: ModelRate): Scaled {
  let s = scaledRates.get(rate);
  if (!s) {
    const d = Math.max(decimals(rate.inputPer1k), decimals(rate.outputPer1k));
    const toInt = (v: Usd) => BigInt(v.times(10 ** d).toFixed(0));
    s = { input: toInt(rate.inputPer1k), output: toInt(rate.outputPer1k), unit: 10n ** BigInt(d) };
    scaledRates.set(rate, s);
  }
  return s;
}

export function internalCostMicros(rate: ModelRate, inputTokens: number, outputTokens: number): number {
  const s = scaled(rate);
  // micros = sum * 1e6 / (1000 * unit) = sum * 1000 / unit, rounded half up as roundToMicros does.
  const numerator = (BigInt(inputTokens) * s.input + BigInt(outputTokens) * s.output) * 1000n;
  return Number((numerator * 2n + s.unit) / (2n * s.unit));
}
