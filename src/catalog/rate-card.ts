import { z } from 'zod';
import { usd } from '../domain/money.js';
import type { ModelRate, RateCard } from '../domain/pricing-types.js';
import { loadJsonFile } from './load-json.js';

const rate = z.number().finite().nonnegative().max(1000);

const modelsFile = z
  .object({
    default_model: z.string().min(1),
    models: z.record(
      z.string().regex(/^[a-z0-9][a-z0-9._-]{0,31}$/, 'model ids are lowercase letters, digits, ".", "_" or "-"'),
      z.object({ name: z.string().min(1), input_per_1k: rate, output_per_1k: rate }),
    ),
  })
  .refine((file) => Object.keys(file.models).length > 0, { message: 'lists no model', path: ['models'] })
  .refine((file) => file.default_model in file.models, {
    message: 'names a model that is not in "models"',
    path: ['default_model'],
  });

function describeIssue(path: PropertyKey[]): string {
  const [top, model, field] = path.map(String);
  if (top === 'models' && model !== undefined && field !== undefined) return `model "${model}", field "${field}"`;
  if (top === 'models' && model !== undefined) return `model "${model}"`;
  return `field "${path.join('.') || '(root)'}"`;
}

export function parseRateCard(file: z.output<typeof modelsFile>): RateCard {
  const models = new Map<string, ModelRate>();
  for (const [id, m] of Object.entries(file.models)) {
    models.set(id, { id, name: m.name, inputPer1k: usd(m.input_per_1k), outputPer1k: usd(m.output_per_1k) });
  }
  return { defaultModel: file.default_model, models };
}

export function loadRateCard(path: string): RateCard {
  return parseRateCard(loadJsonFile(path, modelsFile, describeIssue));
}

export { modelsFile as rateCardSchema };
