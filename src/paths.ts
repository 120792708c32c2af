import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Finds the package root: the nearest folder above `startDir` with a package.json. The sources
 * run from `src/` (tsx, tap) and, after `npm run build`, from `dist/src/`, so a fixed number of
 * `..` steps would be wrong in one of the two.
 */
export function findPackageRoot(startDir: string): string {
  let dir = startDir;
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json'))) return dir;

    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`No package.json found above ${startDir}; is the htek-dms package complete?`);
    dir = parent;
  }
}

/** Folder that contains package.json, templates/ and web/, whether running from src/ or dist/. */
export const packageRoot = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

/** Built-in phone file templates, read at start-up. */
export const templatesRoot = path.join(packageRoot, 'templates');
