/**
 * The conformance scenarios: ONE list, each written once in OpenAI terms and run through the
 * official `openai` SDK against a gateway in front of every provider harness (matrix.test.ts).
 * Grouped by topic in `scenarios-*.ts` to keep files small; the order here is the matrix's.
 */
import { CHAT_SCENARIOS } from './scenarios-chat.js';
import { ERROR_SCENARIOS } from './scenarios-errors.js';
import { MEDIA_SCENARIOS } from './scenarios-media.js';
import { TOOL_SCENARIOS } from './scenarios-tools.js';
import type { Scenario } from './support.js';

export type { Scenario, ScenarioContext } from './support.js';

export const SCENARIOS: readonly Scenario[] = [...CHAT_SCENARIOS, ...TOOL_SCENARIOS, ...MEDIA_SCENARIOS, ...ERROR_SCENARIOS];
