import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import Handlebars from 'handlebars';

import type { PhoneModel } from '../devices/models.js';
import type { RenderedParameter } from './config-values.js';
import { escapeXmlAttribute, escapeXmlText } from './xml-escape.js';

export type Dialect = PhoneModel['dialect'];
const dialects: Dialect[] = ['p-code', 'named'];

export const builtInTemplatesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), '../../templates/htek');

/** A template that failed to load; start-up stops with this message. */
export class TemplateError extends Error {
  constructor(file: string, cause: Error) {
    super(`Template ${file} is invalid: ${cause.message}`, { cause });
    this.name = 'TemplateError';
  }
}

export interface Renderer {
  render(dialect: Dialect, parameters: RenderedParameter[]): string;
  /** Files the templates were read from, by dialect. */
  sources: Record<Dialect, string>;
}

/**
 * Loads and compiles the phone file templates once, at start-up. A template in `overrideDir`
 * (same file name, e.g. `p-code.hbs`) replaces the built-in one. Each template is rendered once
 * with sample data here, so a broken template stops start-up and never fails a phone's request.
 */
export function createRenderer(overrideDir: string | undefined): Renderer {
  const handlebars = Handlebars.create();
  handlebars.registerHelper('xmlText', (value: unknown) => escapeXmlText(String(value ?? '')));
  handlebars.registerHelper('xmlAttr', (value: unknown) => escapeXmlAttribute(String(value ?? '')));

  const sources = {} as Record<Dialect, string>;
  const templates = {} as Record<Dialect, Handlebars.TemplateDelegate>;

  for (const dialect of dialects) {
    const file = templateFile(dialect, overrideDir);
    sources[dialect] = file;
    try {
      // noEscape: values are escaped by the xmlText and xmlAttr helpers only.
      const template = handlebars.compile(fs.readFileSync(file, 'utf8'), { noEscape: true, strict: true });
      template({ parameters: [{ code: 1, para: 'Sample.Para', element: 'Sample_Element', value: 'sample' }] });
      templates[dialect] = template;
    } catch (error) {
      throw new TemplateError(file, error as Error);
    }
  }

  return {
    sources,
    render: (dialect, parameters) => templates[dialect]({ parameters }),
  };
}

function templateFile(dialect: Dialect, overrideDir: string | undefined): string {
  const name = `${dialect}.hbs`;
  if (overrideDir) {
    const override = path.join(overrideDir, name);
    if (fs.existsSync(override)) return override;
  }
  return path.join(builtInTemplatesDir, name);
}
