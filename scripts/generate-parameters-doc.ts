// Writes docs/parameters.md from the parameter catalogue: `npm run docs:parameters`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { renderParametersDoc } from '../src/provisioning/parameters-doc.js';

const target = path.join(path.dirname(fileURLToPath(import.meta.url)), '../docs/parameters.md');
fs.writeFileSync(target, renderParametersDoc());
console.log(`wrote ${target}`);
