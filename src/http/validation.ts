import { Ajv, type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';
import type { FastifySchemaCompiler } from 'fastify';

import type { FieldProblem } from '../errors.js';

// Two validators: request bodies are checked strictly (a boolean field must be a JSON boolean,
// not "yes"), while query strings and path parameters arrive as text and are coerced to the
// schema's number and boolean types. allErrors reports every invalid field in one response;
// every body schema bounds its string lengths, which keeps that affordable.
const bodyAjv = new Ajv({ allErrors: true, verbose: true, coerceTypes: false, useDefaults: true, removeAdditional: false, strict: false });
const textAjv = new Ajv({ allErrors: true, verbose: true, coerceTypes: 'array', useDefaults: true, removeAdditional: false, strict: false });
addFormats.default(bodyAjv);
addFormats.default(textAjv);

export const validatorCompiler: FastifySchemaCompiler<any> = ({ schema, httpPart }) => {
  const ajv = httpPart === 'body' ? bodyAjv : textAjv;
  return ajv.compile(schema) as ReturnType<FastifySchemaCompiler<any>>;
};

/** Fields whose values never appear in an error response or a log line. */
export const secretFields = new Set(['authPassword', 'pin', 'password']);

/**
 * Turns Ajv errors into one problem per field, each naming the field, the value received
 * (left out for secrets) and the rule in plain words.
 */
export function toFieldProblems(validation: ErrorObject[], part: string, input: unknown): FieldProblem[] {
  const problems = new Map<string, FieldProblem>();
  const allowedByField = literalChoicesByField(validation);

  for (const error of validation) {
    const field = fieldOf(error);
    if (problems.has(field)) continue;

    const allowed = allowedByField.get(field);
    const message = allowed ? `must be one of: ${allowed.join(', ')}` : ruleOf(error);
    const problem: FieldProblem = { field: part === 'body' ? field : `${part}.${field}`, message };
    const value = valueAt(input, field);
    if (value !== undefined && !secretFields.has(field.split('.').at(-1) ?? '')) problem.value = value;
    problems.set(field, problem);
  }
  return [...problems.values()];
}

/**
 * Finds the fields that failed an anyOf whose branches are all constants (a TypeBox Union of
 * Literal). Ajv reports one const error per branch, so these fields get a single message that
 * lists every allowed value in place of the first branch's.
 */
function literalChoicesByField(validation: ErrorObject[]): Map<string, unknown[]> {
  const choices = new Map<string, unknown[]>();
  for (const error of validation) {
    if (error.keyword !== 'anyOf' || !Array.isArray(error.schema)) continue;

    const branches = error.schema as unknown[];
    const allConstants = branches.every((branch) => branch !== null && typeof branch === 'object' && 'const' in branch);
    if (allConstants) choices.set(fieldOf(error), branches.map((branch) => (branch as { const: unknown }).const));
  }
  return choices;
}

function fieldOf(error: ErrorObject): string {
  const path = error.instancePath.replace(/^\//, '').replaceAll('/', '.');
  if (error.keyword === 'required') return joinPath(path, String(error.params.missingProperty));
  if (error.keyword === 'additionalProperties') return joinPath(path, String(error.params.additionalProperty));
  return path === '' ? '(request)' : path;
}

function joinPath(parent: string, child: string): string {
  return parent === '' ? child : `${parent}.${child}`;
}

function ruleOf(error: ErrorObject): string {
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'additionalProperties':
      return 'is not a known field; check its spelling';
    case 'type':
      return `must be ${article(String(params.type))}`;
    case 'minLength':
      return params.limit === 1 ? 'must not be empty' : `must be at least ${params.limit} characters long`;
    case 'maxLength':
      return `must be at most ${params.limit} characters long`;
    case 'minimum':
      return `must be at least ${params.limit}`;
    case 'maximum':
      return `must be at most ${params.limit}`;
    case 'enum':
      return `must be one of: ${(params.allowedValues as unknown[]).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify(params.allowedValue)}`;
    case 'pattern':
      return patternRule(error) ?? `has an invalid form (expected to match ${params.pattern})`;
    case 'format':
      return `must be a valid ${params.format}`;
    case 'minItems':
      return `must contain at least ${countOf(Number(params.limit), 'item')}`;
    case 'maxItems':
      return `must contain at most ${countOf(Number(params.limit), 'item')}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** A schema may explain its pattern in words with a `patternMessage` option. */
function patternRule(error: ErrorObject): string | undefined {
  const message = (error.parentSchema as { patternMessage?: unknown } | undefined)?.patternMessage;
  return typeof message === 'string' ? message : undefined;
}

function countOf(count: number, noun: string): string {
  return `${count} ${count === 1 ? noun : `${noun}s`}`;
}

function article(type: string): string {
  const words: Record<string, string> = {
    boolean: 'true or false',
    integer: 'a whole number',
    number: 'a number',
    string: 'a text value',
    object: 'an object',
    array: 'a list',
    null: 'null',
  };
  return type
    .split(',')
    .map((part) => words[part] ?? part)
    .join(' or ');
}

function valueAt(input: unknown, field: string): unknown {
  let current: unknown = input;
  for (const key of field.split('.')) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * Compiles a body schema with the same Ajv setup as the API's request bodies, for input that
 * arrives another way (spreadsheet rows). The returned function gives the problems, or [] when
 * the value is valid.
 */
export function compileBodyValidator(schema: object): (value: unknown) => FieldProblem[] {
  const validate = bodyAjv.compile(schema);
  return (value) => (validate(value) ? [] : toFieldProblems(validate.errors ?? [], 'body', value));
}
