/**
 * JSON Schema → what Gemini's `responseJsonSchema` / `parametersJsonSchema` accept. Since the
 * November 2025 update these fields take JSON Schema (not the older OpenAPI-subset `Schema`),
 * with a documented keyword subset; other keywords are refused or silently ignored depending on
 * the model (https://ai.google.dev/gemini-api/docs/structured-output#json-schema). Keeping only
 * the documented ones makes the outcome predictable: `$schema`, `default`, `examples`,
 * `pattern`, length limits … are removed, `const` becomes a one-value `enum`, `oneOf` (which
 * Gemini reads as `anyOf`) is written as `anyOf`, and `definitions` / draft-04 tuple `items`
 * become `$defs` / `prefixItems`.
 */
import { isRecord, type JsonObject } from '../../core/parse.js';

const KEPT = new Set([
  '$id', '$anchor', 'type', 'format', 'title', 'description', 'enum', 'minimum', 'maximum', 'minItems',
  'maxItems', 'required', 'propertyOrdering',
]);
/** Keywords whose value is one schema. */
const SUBSCHEMA = new Set(['items', 'additionalProperties']);
/** Keywords whose value is a list of schemas. */
const SCHEMA_LISTS = new Set(['anyOf', 'prefixItems']);
/** Keywords whose value maps names to schemas. */
const SCHEMA_MAPS = new Set(['properties', '$defs', 'definitions']);

/** Returns a cleaned copy of `schema` (the caller's object is not modified). */
export function sanitizeGeminiJsonSchema(schema: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === '$ref' && typeof value === 'string') out[key] = value.replace(/^#\/definitions\//, '#/$defs/');
    else if (KEPT.has(key)) out[key] = value;
    else if (key === 'items' && Array.isArray(value)) appendList(out, 'prefixItems', value); // draft-04 tuples
    else if (SUBSCHEMA.has(key)) out[key] = isRecord(value) ? sanitizeGeminiJsonSchema(value) : value;
    else if (SCHEMA_LISTS.has(key) || key === 'oneOf') appendList(out, key === 'oneOf' ? 'anyOf' : key, value);
    else if (SCHEMA_MAPS.has(key) && isRecord(value)) out[key === 'definitions' ? '$defs' : key] = sanitizeMap(value);
    else if (key === 'const' && !('enum' in schema)) out.enum = [value];
  }
  return out;
}

function sanitizeMap(map: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(map)) out[name] = isRecord(value) ? sanitizeGeminiJsonSchema(value) : value;
  return out;
}

function appendList(out: JsonObject, key: string, value: unknown): void {
  if (!Array.isArray(value)) return;
  const cleaned = value.map((item) => (isRecord(item) ? sanitizeGeminiJsonSchema(item) : item));
  const existing = out[key];
  out[key] = Array.isArray(existing) ? [...existing, ...cleaned] : cleaned;
}
