/** Entry point for the fake OpenAI upstream used by end-to-end tests; see `fake-openai/server.ts`. */
export { startFakeOpenAI, FAKE_CREATED } from './fake-openai/server.js';
export { fakeErrors, buildOpenAIErrorBody } from './fake-openai/errors.js';
export { buildEmbeddingVector, encodeFloat32Base64 } from './fake-openai/embeddings.js';
export { FAKE_SYSTEM_FINGERPRINT } from './fake-openai/chat.js';
export { FAKE_DEFAULT_MODELS } from './fake-openai/models.js';
export type {
  FakeOpenAI,
  FakeOpenAIOptions,
  FakeReply,
  FakeScript,
  FakeScriptHandler,
  FakeStreamScript,
  FakeToolCall,
  FakeUsage,
  OpenAIErrorObject,
  RecordedRequest,
} from './fake-openai/types.js';
