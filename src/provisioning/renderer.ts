import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import Handlebars from 'handlebars';

import { templatesRoot } from '../paths.js';
import type { RenderedParameter } from './config-values.js';
import type { Dialect } from './parameters.js';
import { escapeXmlAttribute, escapeXmlText } from './xml-escape.js';

export type { Dialect } from './parameters.js';
const dialects: Dialect[] = ['p-code', 'named'];

// templates/ stays at the package root and is not copied into dist/ by the build.
export const builtInTemplatesDir = path.join(templatesRoot, 'htek');

/** A template that failed to load; start-up stops with this message, which names file and line. */
export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly line: number | undefined,
    cause: Error,
  ) {
    super(`Template ${file}${line === undefined ? '' : `, line ${line}`}, is invalid: ${cause.message}`, { cause });
    this.name = 'TemplateError';
  }
}

/** What a template sees: the parameters in file order and the device they are for. */
export interface TemplateContext {
  parameters: RenderedParameter[];
  mac: string;
  model: string;
}

export interface Renderer {
  render(dialect: Dialect, context: TemplateContext): string;
  /** Files the templates were read from, by dialect. */
  sources: Record<Dialect, string>;
  /** Hash of every template and partial in use; part of each file's ETag. */
  fingerprint: string;
}

const sampleContext: TemplateContext = {
  parameters: [{ code: 1, para: 'Sample.Para', element: 'Sample_Element', value: 'sample' }],
  mac: '001fc1000000',
  model: 'UC926',
};

/**
 * Loads and compiles the phone file templates once, at start-up. A file in `overrideDir` with
 * the same name (`p-code.hbs`, `named.hbs`, or a partial such as `p-code-extra.hbs`) replaces
 * the built-in one, and any other `*.hbs` there becomes a partial by its base name. Each template
 * is rendered once with sample data here, so a broken template stops start-up with its file and
 * line and never fails a phone's request.
 */
export function createRenderer(overrideDir: string | undefined): Renderer {
  const handlebars = Handlebars.create();
  handlebars.registerHelper('xmlText', (value: unknown) => escapeXmlText(String(value ?? '')));
  handlebars.registerHelper('xmlAttr', (value: unknown) => escapeXmlAttribute(String(value ?? '')));

  const files = templateFiles(overrideDir);
  const hash = createHash('sha256');
  for (const [name, file] of [...files.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const text = fs.readFileSync(file, 'utf8');
    hash.update(`${name}\0${text}\0`);
    if (!dialects.includes(name as Dialect)) handlebars.registerPartial(name, compile(handlebars, file, text));
  }

  const sources = {} as Record<Dialect, string>;
  const templates = {} as Record<Dialect, Handlebars.TemplateDelegate>;
  for (const dialect of dialects) {
    const file = files.get(dialect);
    if (!file) throw new TemplateError(path.join(builtInTemplatesDir, `${dialect}.hbs`), undefined, new Error('file not found'));
    sources[dialect] = file;
    templates[dialect] = compile(handlebars, file, fs.readFileSync(file, 'utf8'));
  }

  return {
    sources,
    fingerprint: hash.digest('base64url').slice(0, 16),
    render: (dialect, context) => templates[dialect](context),
  };
}

/** Compiles and test-renders one template, turning any failure into a TemplateError. */
function compile(handlebars: typeof Handlebars, file: string, text: string): Handlebars.TemplateDelegate {
  try {
    // noEscape: values are escaped by the xmlText and xmlAttr helpers only.
    const template = handlebars.compile(text, { noEscape: true, strict: true });
    template(sampleContext);
    return template;
  } catch (error) {
    throw new TemplateError(file, errorLine(error as Error), error as Error);
  }
}

/** Line of a Handlebars error: "Parse error on line 3:" or "... - 3:12" (strict mode lookups). */
function errorLine(error: Error): number | undefined {
  const match = /on line (\d+)/.exec(error.message) ?? / - (\d+):\d+$/m.exec(error.message);
  if (match?.[1]) return Number(match[1]);
  const line = (error as { lineNumber?: unknown }).lineNumber;
  return typeof line === 'number' ? line : undefined;
}

/** Template files by name (without `.hbs`): built-in ones, replaced or extended by overrides. */
function templateFiles(overrideDir: string | undefined): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of [builtInTemplatesDir, overrideDir]) {
    if (dir === undefined) continue;
    if (!fs.existsSync(dir)) throw new TemplateError(dir, undefined, new Error('the template folder does not exist; check HTEK_DMS_TEMPLATES_DIR'));
    for (const entry of fs.readdirSync(dir).sort()) {
      if (entry.endsWith('.hbs')) files.set(entry.slice(0, -'.hbs'.length), path.join(dir, entry));
    }
  }
  return files;
}
