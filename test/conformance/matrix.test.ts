/// <reference types="vite/client" />
/**
 * The conformance matrix: every scenario (scenarios.ts) × every provider harness
 * (harnesses/*.ts, found with `import.meta.glob`). Each cell gets a fresh fake upstream and a
 * fresh gateway, so one failing cell cannot leave a queued reply behind for the next. A cell
 * whose features the provider lacks is skipped, and its name says why.
 */
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest';
import type { Feature, ProviderHarness } from './harness.js';
import { SCENARIOS } from './scenarios.js';
import { describeMissing, startCell, startImageServer, type Cell, type ImageServer } from './support.js';

interface HarnessEntry {
  file: string;
  name: string;
  harness?: ProviderHarness;
  supports: ReadonlySet<Feature>;
  unsupportedReason?: Partial<Record<Feature, string>>;
  /** Why the harness could not even be loaded or started. */
  problem?: unknown;
}

const modules = import.meta.glob<{ harness?: ProviderHarness }>('./harnesses/*.ts', { eager: true });

/** Loads one harness and starts it once to read what it supports (skips are decided at collection). */
async function probe(file: string, module: { harness?: ProviderHarness }): Promise<HarnessEntry> {
  const fallbackName = file.replace(/^.*\/|\.ts$/g, '');
  const harness = module.harness;
  if (harness === undefined) {
    return { file, name: fallbackName, supports: new Set(), problem: new Error(`${file} does not export \`harness\``) };
  }
  try {
    const instance = await harness.start();
    await instance.close();
    return {
      file, name: harness.name, harness, supports: instance.supports,
      ...(instance.unsupportedReason ? { unsupportedReason: instance.unsupportedReason } : {}),
    };
  } catch (problem) {
    return { file, name: harness.name, harness, supports: new Set(), problem };
  }
}

const entries = await Promise.all(Object.entries(modules).map(([file, module]) => probe(file, module)));

let images: ImageServer;
beforeAll(async () => {
  images = await startImageServer();
});
afterAll(async () => {
  await images.close();
});

describe.each(entries.map((entry) => [entry.name, entry] as const))('%s', (_name, entry) => {
  const harness = entry.harness;
  if (entry.problem !== undefined || harness === undefined) {
    it('loads and starts the harness', () => {
      throw entry.problem instanceof Error ? entry.problem : new Error(String(entry.problem));
    });
    return;
  }
  let cell: Cell | undefined;
  afterEach(async () => {
    await cell?.close();
    cell = undefined;
  });
  for (const scenario of SCENARIOS) {
    const missing = describeMissing(scenario, entry);
    if (missing !== undefined) {
      it.skip(`${scenario.id} [skipped: ${missing}]`, () => {});
      continue;
    }
    it(scenario.id, async () => {
      cell = await startCell(harness);
      await scenario.run({ ...cell.ctx, images });
    });
  }
});
