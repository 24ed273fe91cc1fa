/** Ollama `GET /api/tags` → model ids (PROTOCOLS §4.5). */
import { isRecord } from '../../core/parse.js';

/**
 * The locally installed models, by name. The default tag is dropped (`llama3.2:latest` →
 * `llama3.2`), the way people name models for `ollama run` and Ollama resolves them back;
 * other tags stay (`qwen3:8b`). Anything malformed lists nothing rather than failing.
 */
export function decodeOllamaModelList(body: unknown): string[] {
  if (!isRecord(body) || !Array.isArray(body.models)) return [];
  const names = new Set<string>();
  for (const model of body.models) {
    if (!isRecord(model)) continue;
    const name = typeof model.name === 'string' && model.name !== '' ? model.name : model.model;
    if (typeof name === 'string' && name !== '') names.add(name.replace(/:latest$/, ''));
  }
  return [...names];
}
