/**
 * The checks the real API makes on a `generateContent` body, so a mapping mistake fails here
 * the way it would fail against Google: unknown fields (camelCase only here, to catch a
 * snake_case slip), empty contents or parts, a part with two payloads, a function response
 * without a name or with a non-object response, both schema flavours at once, bad tool names,
 * and on Gemini 3 a replayed function call without its thought signature.
 */
import { googleError, unknownField, type GoogleErrorBody } from './errors.js';

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const REQUEST_FIELDS = new Set(['contents', 'systemInstruction', 'tools', 'toolConfig', 'safetySettings', 'generationConfig', 'cachedContent']);
const PART_DATA = ['text', 'inlineData', 'fileData', 'functionCall', 'functionResponse', 'executableCode', 'codeExecutionResult'];
const PART_FIELDS = new Set([...PART_DATA, 'thought', 'thoughtSignature', 'videoMetadata', 'partMetadata', 'mediaResolution']);
const GENERATION_FIELDS = new Set([
  'stopSequences', 'responseMimeType', 'responseSchema', 'responseJsonSchema', 'responseModalities', 'candidateCount',
  'maxOutputTokens', 'temperature', 'topP', 'topK', 'seed', 'presencePenalty', 'frequencyPenalty', 'responseLogprobs',
  'logprobs', 'enableEnhancedCivicAnswers', 'speechConfig', 'thinkingConfig', 'imageConfig', 'mediaResolution',
]);
const THINKING_FIELDS = new Set(['includeThoughts', 'thinkingBudget', 'thinkingLevel']);
const DECLARATION_FIELDS = new Set(['name', 'description', 'behavior', 'parameters', 'parametersJsonSchema', 'response', 'responseJsonSchema']);
const FUNCTION_NAME = /^[A-Za-z_][A-Za-z0-9_.:-]{0,127}$/;

/** The sentinel Google documents for a replayed call whose signature was lost. */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';

export interface ValidateOptions {
  /** The model validates thought signatures (Gemini 3 and later). */
  checksSignatures: boolean;
  /** Signatures this fake handed out; others are forged. */
  issuedSignatures: ReadonlySet<string>;
}

/** The error Google would answer, or undefined when the body is acceptable. */
export function validateGenerateContent(body: unknown, options: ValidateOptions): GoogleErrorBody | undefined {
  if (!isObject(body)) return googleError(400, 'Invalid JSON payload received. Expected an object.');
  for (const key of Object.keys(body)) if (!REQUEST_FIELDS.has(key)) return unknownField(key);
  if (!Array.isArray(body.contents) || body.contents.length === 0) {
    return googleError(400, '* GenerateContentRequest.contents: contents is not specified\n');
  }
  const contentProblem = body.contents.map((c, i) => checkContent(c, `contents[${i}]`)).find((p) => p !== undefined);
  if (contentProblem) return contentProblem;
  if (body.systemInstruction !== undefined) {
    const problem = checkContent(body.systemInstruction, 'system_instruction');
    if (problem) return problem;
  }
  return checkGenerationConfig(body.generationConfig) ?? checkTools(body) ?? checkSignatures(body.contents as Json[], options);
}

function checkContent(content: unknown, path: string): GoogleErrorBody | undefined {
  if (!isObject(content)) return googleError(400, `Invalid value at '${path}': expected an object.`);
  for (const key of Object.keys(content)) if (key !== 'role' && key !== 'parts') return unknownField(key, path);
  if (content.role !== undefined && content.role !== 'user' && content.role !== 'model' && path !== 'system_instruction') {
    return googleError(400, `Please use a valid role: user, model.`);
  }
  if (!Array.isArray(content.parts) || content.parts.length === 0) {
    return googleError(400, `* GenerateContentRequest.${path}.parts: contents.parts must not be empty.\n`);
  }
  for (const [j, part] of content.parts.entries()) {
    const problem = checkPart(part, `${path}.parts[${j}]`);
    if (problem) return problem;
  }
  return undefined;
}

function checkPart(part: unknown, path: string): GoogleErrorBody | undefined {
  if (!isObject(part)) return googleError(400, `Invalid value at '${path}': expected an object.`);
  for (const key of Object.keys(part)) if (!PART_FIELDS.has(key)) return unknownField(key, path);
  const payloads = PART_DATA.filter((key) => part[key] !== undefined);
  if (payloads.length !== 1) return googleError(400, `* GenerateContentRequest.${path}.data: required oneof field 'data' must have one initialized field\n`);
  if (part.text !== undefined && typeof part.text !== 'string') return googleError(400, `Invalid value at '${path}.text' (TYPE_STRING)`);
  if (part.inlineData !== undefined) {
    const data = part.inlineData;
    if (!isObject(data) || typeof data.mimeType !== 'string' || typeof data.data !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(data.data)) {
      return googleError(400, `Invalid value at '${path}.inline_data' (TYPE_BYTES), Base64 decoding failed.`);
    }
  }
  if (part.functionCall !== undefined) {
    const call = part.functionCall;
    if (!isObject(call) || typeof call.name !== 'string' || (call.args !== undefined && !isObject(call.args))) {
      return googleError(400, `* GenerateContentRequest.${path}.function_call.name: Name cannot be empty.\n`);
    }
  }
  if (part.functionResponse !== undefined) {
    const response = part.functionResponse;
    if (!isObject(response) || typeof response.name !== 'string' || response.name === '') {
      return googleError(400, `* GenerateContentRequest.${path}.function_response.name: Name cannot be empty.\n`);
    }
    if (!isObject(response.response)) return googleError(400, `Invalid value at '${path}.function_response.response' (type.googleapis.com/google.protobuf.Struct)`);
  }
  return undefined;
}

function checkGenerationConfig(config: unknown): GoogleErrorBody | undefined {
  if (config === undefined) return undefined;
  if (!isObject(config)) return googleError(400, "Invalid value at 'generation_config'.");
  for (const key of Object.keys(config)) if (!GENERATION_FIELDS.has(key)) return unknownField(key, 'generation_config');
  if (config.responseSchema !== undefined && config.responseJsonSchema !== undefined) {
    return googleError(400, 'responseSchema and responseJsonSchema cannot both be set.');
  }
  if ((config.responseSchema !== undefined || config.responseJsonSchema !== undefined) && config.responseMimeType !== 'application/json') {
    return googleError(400, 'responseMimeType must be application/json when a response schema is set.');
  }
  const thinking = config.thinkingConfig;
  if (thinking !== undefined) {
    if (!isObject(thinking)) return googleError(400, "Invalid value at 'generation_config.thinking_config'.");
    for (const key of Object.keys(thinking)) if (!THINKING_FIELDS.has(key)) return unknownField(key, 'generation_config.thinking_config');
    if (thinking.thinkingBudget !== undefined && thinking.thinkingLevel !== undefined) {
      return googleError(400, 'You can only set one of thinking budget and thinking level.');
    }
  }
  return undefined;
}

function checkTools(body: Json): GoogleErrorBody | undefined {
  const tools = body.tools;
  if (tools === undefined) return undefined;
  if (!Array.isArray(tools)) return googleError(400, "Invalid value at 'tools'.");
  for (const [i, tool] of tools.entries()) {
    const declarations = isObject(tool) && Array.isArray(tool.functionDeclarations) ? tool.functionDeclarations : [];
    for (const [j, declaration] of declarations.entries()) {
      if (!isObject(declaration)) return googleError(400, `Invalid value at 'tools[${i}].function_declarations[${j}]'.`);
      for (const key of Object.keys(declaration)) if (!DECLARATION_FIELDS.has(key)) return unknownField(key, `tools[${i}].function_declarations[${j}]`);
      if (typeof declaration.name !== 'string' || !FUNCTION_NAME.test(declaration.name)) {
        return googleError(400, `* GenerateContentRequest.tools[${i}].function_declarations[${j}].name: Invalid function name. Must start with a letter or an underscore. Must be alphameric (a-z, A-Z, 0-9), underscores (_), dots (.), colons (:) or dashes (-), with a maximum length of 128.\n`);
      }
      if (declaration.parameters !== undefined && declaration.parametersJsonSchema !== undefined) {
        return googleError(400, 'parameters and parametersJsonSchema cannot both be set.');
      }
    }
  }
  const mode = isObject(body.toolConfig) && isObject(body.toolConfig.functionCallingConfig) ? body.toolConfig.functionCallingConfig.mode : undefined;
  if (mode !== undefined && !['AUTO', 'ANY', 'NONE', 'VALIDATED', 'MODE_UNSPECIFIED'].includes(String(mode))) {
    return googleError(400, `Invalid value at 'tool_config.function_calling_config.mode' (type.googleapis.com/google.ai.generativelanguage.v1beta.FunctionCallingConfig.Mode), "${String(mode)}"`);
  }
  return undefined;
}

/**
 * Gemini 3: in the current turn (everything after the last user content that is not only
 * function responses), the first function call of every model step must carry a signature
 * this fake issued, or Google's documented skip sentinel.
 * https://ai.google.dev/gemini-api/docs/thought-signatures
 */
function checkSignatures(contents: Json[], options: ValidateOptions): GoogleErrorBody | undefined {
  if (!options.checksSignatures) return undefined;
  let start = 0;
  contents.forEach((content, i) => {
    const parts = (content.parts as Json[]) ?? [];
    if (content.role !== 'model' && parts.some((p) => p.functionResponse === undefined)) start = i + 1;
  });
  for (const [offset, content] of contents.slice(start).entries()) {
    if (content.role !== 'model') continue;
    const first = ((content.parts as Json[]) ?? []).findIndex((p) => p.functionCall !== undefined);
    if (first === -1) continue;
    const part = (content.parts as Json[])[first] as Json;
    const signature = part.thoughtSignature;
    const call = part.functionCall as Json;
    if (typeof signature !== 'string' || (signature !== SKIP_SIGNATURE && !options.issuedSignatures.has(signature))) {
      return googleError(400, `Function call is missing a thought_signature in functionCall parts. This is required for tools to work correctly, and missing thought_signature may lead to degraded model performance. Additional data, function call \`default_api:${String(call.name)}\` , position ${start + offset + 1}. Please refer to https://ai.google.dev/gemini-api/docs/thought-signatures for more details.`);
    }
  }
  return undefined;
}
