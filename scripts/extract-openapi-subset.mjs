// Regenerates test/fixtures/openai-openapi-subset.yaml from the full OpenAI spec (path as argument,
// default ../shared/specs/openai-openapi.yaml): the checked schemas and everything they reference.
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
const { parse, stringify } = require('yaml');
const doc = parse(readFileSync(process.argv[2] ?? new URL('../../shared/specs/openai-openapi.yaml', import.meta.url), 'utf8'));
const all = doc.components.schemas;
const roots = ['CreateChatCompletionResponse', 'CreateChatCompletionStreamResponse', 'CreateCompletionResponse', 'CreateEmbeddingResponse', 'ErrorResponse', 'ListModelsResponse', 'Model'];
const keep = {}; const queue = [...roots];
const walk = (v) => { if (Array.isArray(v)) v.forEach(walk); else if (v && typeof v === 'object') { for (const [k, x] of Object.entries(v)) { if (k === '$ref' && typeof x === 'string') queue.push(x.replace('#/components/schemas/', '')); else walk(x); } } };
while (queue.length) { const n = queue.shift(); if (keep[n]) continue; keep[n] = all[n]; walk(all[n]); }
const header = `# Subset of OpenAI's OpenAPI spec: the schemas the conformance tests check and everything they
# reference. Source: openai/openai-openapi openapi.yaml, commit f85dbe223d40e1a31cba812ab2d755c7e98a92a3
# (2026-08-21, info.version 2.3.0), the copy in ../shared/specs/. Regenerate rather than edit.
`;
writeFileSync(new URL('../test/fixtures/openai-openapi-subset.yaml', import.meta.url), header + stringify({ openapi: doc.openapi, info: { title: doc.info.title, version: doc.info.version }, components: { schemas: keep } }));
console.log(Object.keys(keep).length, 'schemas');
