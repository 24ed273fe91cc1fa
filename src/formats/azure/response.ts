/** Azure OpenAI `chat.completion` bodies → canonical ChatResponse: OpenAI's, minus filter annotations. */
import { GatewayError } from '../../core/errors.js';
import { isRecord } from '../../core/parse.js';
import type { ChatResponse } from '../../core/types.js';
import { decodeOpenAIChatResponse } from '../openai/chat-response.js';
import { stripAzureFilterAnnotations } from './annotations.js';

/**
 * Decodes an Azure completion. When the body carried filter annotations, `raw` is set to the
 * body without them, so an OpenAI caller still gets the upstream's own fields byte-exact apart
 * from Azure's additions (re-serialised once, only then).
 */
export function decodeAzureChatResponse(body: unknown): ChatResponse {
  if (!isRecord(body)) throw new GatewayError('upstream_error', 'Upstream returned a malformed chat completion: not an object.');
  const stripped = stripAzureFilterAnnotations(body);
  const response = decodeOpenAIChatResponse(body);
  if (stripped) response.raw = Buffer.from(JSON.stringify(body), 'utf8');
  return response;
}
