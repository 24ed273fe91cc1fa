import type { FakeScript, OpenAIErrorObject } from './types.js';

const DEFAULT_ERRORS: Record<number, OpenAIErrorObject> = {
  400: { message: 'Invalid request.', type: 'invalid_request_error', param: null, code: null },
  401: {
    message: 'Incorrect API key provided: sk-***. You can find your API key at https://platform.openai.com/account/api-keys.',
    type: 'invalid_request_error',
    param: null,
    code: 'invalid_api_key',
  },
  403: { message: 'Country, region, or territory not supported', type: 'request_forbidden', param: null, code: 'unsupported_country_region_territory' },
  404: { message: 'The model does not exist or you do not have access to it.', type: 'invalid_request_error', param: null, code: 'model_not_found' },
  429: { message: 'Rate limit reached. Please try again in 1s.', type: 'requests', param: null, code: 'rate_limit_exceeded' },
  500: { message: 'The server had an error while processing your request. Sorry about that!', type: 'server_error', param: null, code: null },
  503: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', param: null, code: null },
};

/** `{"error":{…}}` for `status`, with `overrides` merged over OpenAI's usual wording for it. */
export function buildOpenAIErrorBody(status: number, overrides: Partial<OpenAIErrorObject> = {}): { error: OpenAIErrorObject } {
  const base = DEFAULT_ERRORS[status] ?? (status >= 500 ? DEFAULT_ERRORS[500] : DEFAULT_ERRORS[400]);
  return { error: { ...(base as OpenAIErrorObject), ...overrides } };
}

/** Ready-made scripts for the upstream failures gateway tests exercise most. */
export const fakeErrors = {
  contextLengthExceeded(): FakeScript {
    return {
      status: 400,
      error: {
        message:
          "This model's maximum context length is 128000 tokens. However, your messages resulted in 130452 tokens. Please reduce the length of the messages.",
        param: 'messages',
        code: 'context_length_exceeded',
      },
    };
  },
  rateLimited(retryAfterSeconds = 1): FakeScript {
    return {
      status: 429,
      headers: { 'retry-after': String(retryAfterSeconds) },
      error: {
        message: `Rate limit reached for gpt-4o-mini on tokens per min (TPM): Limit 200000, Used 162960, Requested 42288. Please try again in ${retryAfterSeconds}s.`,
        type: 'tokens',
        code: 'rate_limit_exceeded',
      },
    };
  },
  insufficientQuota(): FakeScript {
    return {
      status: 429,
      error: {
        message: 'You exceeded your current quota, please check your plan and billing details.',
        type: 'insufficient_quota',
        code: 'insufficient_quota',
      },
    };
  },
  serverError(): FakeScript {
    return { status: 500 };
  },
  overloaded(): FakeScript {
    return { status: 503 };
  },
  modelNotFound(model: string): FakeScript {
    return {
      status: 404,
      error: { message: `The model \`${model}\` does not exist or you do not have access to it.`, code: 'model_not_found' },
    };
  },
};

/** 400 for a missing required body field, worded as OpenAI does. */
export function missingParameter(param: string): { kind: 'json'; status: number; body: unknown } {
  return {
    kind: 'json',
    status: 400,
    body: buildOpenAIErrorBody(400, {
      message: `Missing required parameter: '${param}'.`,
      param,
      code: 'missing_required_parameter',
    }),
  };
}
