/**
 * Azure OpenAI's content-filter annotations (PROTOCOLS §8.3): a top-level
 * `prompt_filter_results` (older api-versions: `prompt_annotations`) and per-choice
 * `content_filter_results` / `content_filter_offsets`. OpenAI clients do not expect them, and
 * Azure's stream carries whole chunks of nothing else — the first one with `choices: []` and an
 * empty id, and with asynchronous filtering chunks whose choice has no `delta`
 * (Azure/azure-sdk-for-go #21086, langchain #18977, autogen #6465). Those are removed.
 */
import { isRecord, type JsonObject } from '../../core/parse.js';

const TOP_LEVEL = ['prompt_filter_results', 'prompt_annotations'] as const;
const PER_CHOICE = ['content_filter_results', 'content_filter_offsets'] as const;

/** Deletes Azure's filter annotations from a parsed completion or chunk, in place; true when any was found. */
export function stripAzureFilterAnnotations(body: JsonObject): boolean {
  let found = false;
  for (const key of TOP_LEVEL) {
    if (key in body) {
      delete body[key];
      found = true;
    }
  }
  if (!Array.isArray(body.choices)) return found;
  for (const choice of body.choices) {
    if (!isRecord(choice)) continue;
    for (const key of PER_CHOICE) {
      if (key in choice) {
        delete choice[key];
        found = true;
      }
    }
  }
  return found;
}

/**
 * Removes stream choices left with nothing to say once their annotations are gone: no delta
 * content and no finish reason (Azure's asynchronous-filter chunks). True when the chunk then
 * carries neither a choice nor usage, so it must not reach the client (PROTOCOLS §0 rule 3).
 */
export function pruneAzureEmptyChoices(chunk: JsonObject): boolean {
  const choices = Array.isArray(chunk.choices) ? chunk.choices.filter(hasSomething) : [];
  chunk.choices = choices;
  return choices.length === 0 && (chunk.usage === undefined || chunk.usage === null);
}

function hasSomething(choice: unknown): boolean {
  if (!isRecord(choice)) return false;
  if (typeof choice.finish_reason === 'string') return true;
  return isRecord(choice.delta) && Object.keys(choice.delta).length > 0;
}
