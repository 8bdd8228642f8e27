import { z } from 'zod';
import type { InputMeta } from './input-types.js';

/** What adapters need to know of one input field to build a form, a slash option or help text. */
export interface FieldInfo {
  name: string;
  kind: 'enum' | 'number' | 'string' | 'boolean' | 'date' | 'instant';
  required: boolean;
  description?: string;
  options?: string[];
  defaultValue?: unknown;
  min?: number;
  max?: number;
  integer?: boolean;
  /** Text: the most characters accepted. */
  maxLength?: number;
  /** Dates: words accepted besides YYYY-MM-DD (today, yesterday). */
  words?: readonly string[];
  /** Instants: whether a plain date is accepted too. */
  allowDate?: boolean;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  defaultValue?: unknown;
}

type Node = z.ZodType & { def: Def; description?: string };

const metaOf = (node: Node): InputMeta | undefined => z.globalRegistry.get(node) as InputMeta | undefined;

/** Walks the wrappers zod puts around a field (default, optional, preprocess pipes) to its core type. */
export function fieldInfo(name: string, schema: z.ZodType): FieldInfo {
  let node = schema as Node;
  let required = true;
  let defaultValue: unknown;
  let description = node.description;
  let meta = metaOf(node)?.inputKind ? metaOf(node) : undefined;
  for (;;) {
    const def = node.def;
    if (def.type === 'default') {
      required = false;
      defaultValue = def.defaultValue;
      node = def.innerType as Node;
    } else if (def.type === 'optional') {
      required = false;
      node = def.innerType as Node;
    } else if (def.type === 'pipe') {
      // preprocess(fn, T) is pipe(transform, T); T.transform(fn) is pipe(T, transform).
      const out = def.out as Node;
      node = (out.def.type === 'transform' ? def.in : out) as Node;
    } else break;
    description ??= node.description;
    if (!meta?.inputKind && metaOf(node)?.inputKind) meta = metaOf(node);
  }
  const base = { name, required, description, defaultValue };
  if (meta?.inputKind === 'date') return { ...base, kind: 'date', words: meta.words ?? [] };
  if (meta?.inputKind === 'instant') return { ...base, kind: 'instant', allowDate: meta.allowDate === true };
  if (node.def.type === 'enum') return { ...base, kind: 'enum', options: (node as unknown as z.ZodEnum).options.map(String) };
  if (node.def.type === 'boolean') return { ...base, kind: 'boolean' };
  if (node.def.type === 'number') {
    const n = node as unknown as z.ZodNumber;
    const finite = (v: number | null) => (v === null || !Number.isFinite(v) || Math.abs(v) >= Number.MAX_SAFE_INTEGER ? undefined : v);
    return { ...base, kind: 'number', min: finite(n.minValue), max: finite(n.maxValue), integer: n.isInt };
  }
  const s = node as unknown as z.ZodString;
  return { ...base, kind: 'string', ...(typeof s.maxLength === 'number' ? { maxLength: s.maxLength } : {}) };
}

const fieldsOf = new WeakMap<z.ZodObject, readonly FieldInfo[]>();

/** A schema's fields, walked once per schema: every parse of every command asks for them. */
export function objectFields(schema: z.ZodObject): readonly FieldInfo[] {
  let fields = fieldsOf.get(schema);
  if (!fields) fieldsOf.set(schema, (fields = Object.freeze(Object.entries(schema.shape).map(([name, field]) => fieldInfo(name, field as z.ZodType)))));
  return fields;
}
