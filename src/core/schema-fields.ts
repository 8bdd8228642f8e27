import type { z } from 'zod';

/** What adapters need to know of one input field to build a form, a slash option or help text. */
export interface FieldInfo {
  name: string;
  kind: 'enum' | 'number' | 'string';
  required: boolean;
  description?: string;
  options?: string[];
  defaultValue?: unknown;
  min?: number;
  max?: number;
  integer?: boolean;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  defaultValue?: unknown;
}

/** Walks the wrappers zod puts around a field (default, optional, preprocess pipes) to its core type. */
export function fieldInfo(name: string, schema: z.ZodType): FieldInfo {
  let node = schema as z.ZodType & { def: Def; description?: string };
  let required = true;
  let defaultValue: unknown;
  let description = node.description;
  for (;;) {
    const def = node.def;
    if (def.type === 'default') {
      required = false;
      defaultValue = def.defaultValue;
      node = def.innerType as typeof node;
    } else if (def.type === 'optional') {
      required = false;
      node = def.innerType as typeof node;
    } else if (def.type === 'pipe') {
      // preprocess(fn, T) is pipe(transform, T); T.transform(fn) is pipe(T, transform).
      const out = def.out as typeof node;
      node = (out.def.type === 'transform' ? def.in : out) as typeof node;
    } else break;
    description ??= node.description;
  }
  const base = { name, required, description, defaultValue };
  if (node.def.type === 'enum') return { ...base, kind: 'enum', options: (node as unknown as z.ZodEnum).options.map(String) };
  if (node.def.type === 'number') {
    const n = node as unknown as z.ZodNumber;
    const finite = (v: number | null) => (v === null || !Number.isFinite(v) ? undefined : v);
    return { ...base, kind: 'number', min: finite(n.minValue), max: finite(n.maxValue), integer: n.isInt };
  }
  return { ...base, kind: 'string' };
}

export function objectFields(schema: z.ZodObject): FieldInfo[] {
  return Object.entries(schema.shape).map(([name, field]) => fieldInfo(name, field as z.ZodType));
}
