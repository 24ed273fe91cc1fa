/** Entry point for the fake Ollama upstream used by end-to-end tests; see `fake-ollama/server.ts`. */
export { FAKE_OLLAMA_BASE_TIME, FAKE_OLLAMA_DEFAULT_TEXT, FAKE_OLLAMA_MODELS, startFakeOllama } from './fake-ollama/server.js';
export { buildFakeEmbedding, goJson } from './fake-ollama/render.js';
export type {
  FakeOllama, FakeOllamaOptions, FakeOllamaReply, FakeOllamaScript, FakeOllamaScriptHandler, FakeOllamaStreamScript,
  FakeOllamaToolCall, RecordedOllamaRequest,
} from './fake-ollama/types.js';
