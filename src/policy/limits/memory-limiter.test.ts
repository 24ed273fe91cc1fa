import { describe } from 'vitest';
import { runLimiterContract } from '../../../test/unit/support/limiter-contract.js';
import { createMemoryLimiter } from './memory-limiter.js';

describe('memory limiter', () => {
  runLimiterContract(({ calendar, now }) => ({
    limiter: createMemoryLimiter({ calendar, now }),
    setNow: () => undefined,
    close: () => Promise.resolve(),
  }));
});
