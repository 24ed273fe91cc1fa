import { describe, expect, it } from 'vitest';
import { fromStrings } from '../../test/unit/support/streams.js';
import { parseRetryAfter, readBodyText, type UpstreamResponse } from './http.js';

const NOW = Date.parse('2026-08-01T12:00:00Z');

describe('parseRetryAfter', () => {
  it.each<[string, UpstreamResponse['headers'], number | undefined]>([
    ['retry-after-ms', { 'retry-after-ms': '1500' }, 1500],
    ['retry-after-ms zero', { 'retry-after-ms': '0' }, 0],
    ['retry-after-ms wins over retry-after', { 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    ['retry-after seconds', { 'retry-after': '2' }, 2000],
    ['retry-after fractional seconds', { 'retry-after': '1.5' }, 1500],
    ['retry-after HTTP date', { 'retry-after': 'Sat, 01 Aug 2026 12:00:30 GMT' }, 30_000],
    ['retry-after date in the past', { 'retry-after': 'Sat, 01 Aug 2026 11:00:00 GMT' }, 0],
    ['invalid retry-after-ms falls back to retry-after', { 'retry-after-ms': 'soon', 'retry-after': '3' }, 3000],
    ['negative retry-after-ms falls back', { 'retry-after-ms': '-5', 'retry-after': '1' }, 1000],
    ['garbage', { 'retry-after': 'later please' }, undefined],
    ['empty retry-after', { 'retry-after': '' }, undefined],
    ['empty retry-after-ms', { 'retry-after-ms': '' }, undefined],
    ['blank retry-after-ms, valid retry-after', { 'retry-after-ms': ' ', 'retry-after': '4' }, 4000],
    ['repeated header', { 'retry-after': ['1', '2'] }, undefined],
    ['no header', {}, undefined],
  ])('%s', (_name, headers, expected) => {
    expect(parseRetryAfter(headers, NOW)).toBe(expected);
  });
});

describe('readBodyText', () => {
  it('joins chunks, including a character split across them', async () => {
    const bytes = new TextEncoder().encode('{"error":"café"}');
    const chunks = [bytes.subarray(0, 13), bytes.subarray(13)];
    async function* source(): AsyncGenerator<Uint8Array> {
      yield* chunks;
    }
    expect(await readBodyText(source())).toBe('{"error":"café"}');
  });

  it('stops at the limit', async () => {
    expect(await readBodyText(fromStrings(['a'.repeat(10), 'b'.repeat(10), 'c'.repeat(10)]), 15)).toBe(`${'a'.repeat(10)}bbbbb`);
  });
});
