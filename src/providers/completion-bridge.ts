/**
 * Legacy completions for providers that only have chat: the prompt becomes one user message
 * and the chat reply is read back as text. Stream events are the same canonical events.
 */
import { GatewayError } from '../core/errors.js';
import type { ChatRequest, CompletionRequest, CompletionResponse } from '../core/types.js';
import type { Outcome, Provider, ProviderCall } from './provider.js';

/** Answers a completion through `provider.chat`. Several prompts at once are refused. */
export async function bridgeCompletionThroughChat(
  provider: Provider,
  request: CompletionRequest,
  call: ProviderCall,
): Promise<Outcome<CompletionResponse>> {
  const chat = buildChatFromCompletion(request);
  const outcome = await provider.chat(chat, call);
  if (outcome.stream) return outcome;
  const response = outcome.response;
  return {
    stream: false,
    response: {
      id: response.id.replace(/^chatcmpl-/, 'cmpl-'),
      model: response.model,
      created: response.created,
      choices: response.choices.map((c) => ({ index: c.index, text: c.text ?? '', finishReason: c.finishReason, rawFinishReason: c.rawFinishReason })),
      ...(response.usage ? { usage: response.usage } : {}),
      dialect: response.dialect,
    },
  };
}

function buildChatFromCompletion(request: CompletionRequest): ChatRequest {
  let prompt = request.prompt;
  if (Array.isArray(prompt)) {
    if (prompt.length !== 1) {
      throw new GatewayError('unsupported', 'This provider takes one prompt per request; send the prompts separately.', { param: 'prompt' });
    }
    prompt = prompt[0] as string;
  }
  const chat: ChatRequest = {
    model: request.model,
    messages: [{ role: 'user', content: prompt }],
    stream: request.stream,
    includeUsage: request.includeUsage,
    dialect: 'openai',
  };
  if (request.maxTokens !== undefined) chat.maxTokens = request.maxTokens;
  if (request.temperature !== undefined) chat.temperature = request.temperature;
  if (request.topP !== undefined) chat.topP = request.topP;
  if (request.n !== undefined) chat.n = request.n;
  if (request.stop !== undefined) chat.stop = request.stop;
  if (request.seed !== undefined) chat.seed = request.seed;
  return chat;
}
