/**
 * Reading a login route's JSON body: capped in bytes before parsing, and in nesting depth after, with a
 * loop instead of recursion so that no body can overflow the stack.
 */
import { RequestError, readCapped } from '@authbridge/core';

/** The default cap of a request body, in bytes. */
export const DEFAULT_MAX_BODY_BYTES = 16_384;
/** The default cap of a body's nesting depth. Credentials nest two or three levels. */
export const DEFAULT_MAX_JSON_DEPTH = 8;

/** Options of {@link readJsonBody}. */
export interface ReadJsonBodyOptions {
  maxBytes?: number;
  maxDepth?: number;
}

/**
 * The request's body as a JSON object. Throws `ERR_UNSUPPORTED_MEDIA_TYPE` unless the content type is
 * `application/json` (a cross-site form cannot send it without a CORS preflight, so this refuses login
 * CSRF), `ERR_PAYLOAD_TOO_LARGE` past `maxBytes` (counted while reading, whatever `content-length`
 * says), `ERR_REQUEST_MALFORMED` for a body that is not JSON, not an object, or nested deeper than
 * `maxDepth`. An empty body is `{}`.
 *
 * @example
 * ```ts
 * const body = await readJsonBody(request, { maxBytes: 8192 });
 * ```
 */
export async function readJsonBody(
  request: Request,
  options: ReadJsonBodyOptions = {},
): Promise<Record<string, unknown>> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BODY_BYTES;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const type = (request.headers.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    throw new RequestError(
      'ERR_UNSUPPORTED_MEDIA_TYPE',
      'Send the request body as JSON, with content-type: application/json.',
    );
  }
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw tooLarge(maxBytes);
  const text = await readText(request, maxBytes);
  if (text.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RequestError('ERR_REQUEST_MALFORMED', 'The request body is not valid JSON.');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RequestError('ERR_REQUEST_MALFORMED', 'The request body must be a JSON object.');
  }
  if (depthExceeds(value, maxDepth)) {
    throw new RequestError(
      'ERR_REQUEST_MALFORMED',
      `The request body is nested deeper than ${maxDepth} levels.`,
    );
  }
  return value as Record<string, unknown>;
}

async function readText(request: Request, maxBytes: number): Promise<string> {
  const bytes = await readCapped(request.body, maxBytes, () => tooLarge(maxBytes));
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new RequestError('ERR_REQUEST_MALFORMED', 'The request body is not UTF-8.');
  }
}

/** Whether `value` nests deeper than `maxDepth`, walked with an explicit stack. */
export function depthExceeds(value: unknown, maxDepth: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop() as [unknown, number];
    if (typeof current !== 'object' || current === null) continue;
    if (depth > maxDepth) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

function tooLarge(maxBytes: number): RequestError {
  return new RequestError('ERR_PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`);
}
