/**
 * Writes schema/policy.schema.json from POLICY_SHAPE, the one description of the policy
 * document, and the field descriptions in policy-docs.ts (kept apart so the runtime does not
 * ship them; toJsonSchema finds them for POLICY_SHAPE). Run `npx tsx scripts/write-schema.ts`
 * after changing either; a test fails while the file is stale.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { POLICY_SHAPE } from '../src/core/policy-shape.js';
import { toJsonSchema } from '../src/core/shape-json-schema.js';

const POLICY_SCHEMA_HEADER = {
  $id: 'https://unpkg.com/inapp-consent/schema/policy.schema.json',
  title: 'inapp-consent policy document',
} as const;

const target = fileURLToPath(new URL('../schema/policy.schema.json', import.meta.url));
writeFileSync(target, `${JSON.stringify(toJsonSchema(POLICY_SHAPE, POLICY_SCHEMA_HEADER), null, 2)}\n`);
process.stdout.write(`wrote ${target}\n`);
