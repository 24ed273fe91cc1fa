/**
 * Mistral accepts only tool-call ids of exactly 9 characters `[A-Za-z0-9]` (PROTOCOLS §6.2,
 * langchain PR #24668, opencode #1680): an id minted by another provider (`call_…`, `toolu_…`,
 * a UUID) makes the *next* request of a tool loop fail. Ids are therefore rewritten by a
 * deterministic hash, so an assistant `tool_calls[].id` and the `tool_call_id` answering it map
 * to the same value in every request without any stored state. Mistral's own ids are already
 * valid and pass unchanged, so a client sends back exactly what it was given.
 */
import { createHash } from 'node:crypto';

const VALID_ID = /^[A-Za-z0-9]{9}$/;
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** The Mistral-acceptable id for `id`: itself when already valid, else 9 characters of its SHA-256. */
export function mapMistralToolCallId(id: string): string {
  if (VALID_ID.test(id)) return id;
  const digest = createHash('sha256').update(id, 'utf8').digest();
  let out = '';
  // 62 letters from a byte: a modulo bias of under 2% per character, irrelevant for 62^9 ids.
  for (let i = 0; i < 9; i++) out += ALPHABET[(digest[i] as number) % ALPHABET.length];
  return out;
}
