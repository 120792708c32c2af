import { Type } from 'typebox';

/** Schemas shared by several resources. */

/** Largest id a Postgres `integer` column holds; a larger one can never exist. */
export const maxRowId = 2147483647;

/** A row id in a path, body or query string. */
export const RowId = (description = 'Row id') => Type.Integer({ minimum: 1, maximum: maxRowId, description });

export const IdParams = Type.Object({ id: RowId() }, { additionalProperties: false });

export const ErrorResponse = Type.Object(
  {
    requestId: Type.String(),
    statusCode: Type.Integer(),
    code: Type.String({ description: 'Stable error code, e.g. validation_failed or account_not_found' }),
    message: Type.String({ description: 'What failed and what to do' }),
    details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { description: 'Error' },
);

export const errorResponses = {
  400: ErrorResponse,
  404: ErrorResponse,
  409: ErrorResponse,
  500: ErrorResponse,
  503: ErrorResponse,
};

/** Error responses of routes that take a JSON body: also too large and not JSON. */
export const bodyErrorResponses = {
  ...errorResponses,
  413: ErrorResponse,
  415: ErrorResponse,
};

// Control characters cannot be written into the phone's XML file, and a tab or newline pasted
// into a field is nearly always a mistake, so text fields reject them.
export const noControlCharacters = { pattern: '^[^\\u0000-\\u001f\\u007f]*$', patternMessage: 'must not contain control characters such as tabs or line breaks' };

/** Text that is trimmed by the service; the schema bounds its length. */
export const ShortText = (options: { minLength?: number; maxLength?: number; description?: string } = {}) =>
  Type.String({ maxLength: 255, ...noControlCharacters, ...options });

/** A text filter in a query string: bounded and free of control characters. */
export const QueryText = (maxLength: number, description: string) => Type.Optional(Type.String({ maxLength, ...noControlCharacters, description }));

export const OptionalText = (description: string, maxLength = 255) =>
  Type.Optional(Type.Union([Type.String({ maxLength, ...noControlCharacters }), Type.Null()], { description }));

export const Port = (description: string) => Type.Integer({ minimum: 1, maximum: 65535, description });

export const Version = Type.Integer({ minimum: 1, maximum: maxRowId, description: 'Row version for optimistic locking: send the version you read; a stale one gets 409' });

export const Timestamp = Type.String({ format: 'date-time' });

export const ListQueryPaging = {
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000000, default: 1, description: 'Page number, from 1' })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50, description: 'Rows per page, at most 500' })),
  order: Type.Optional(Type.Union([Type.Literal('asc'), Type.Literal('desc')], { default: 'asc' })),
};
