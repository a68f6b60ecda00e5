/**
 * EIP-4361 Sign-In with Ethereum messages, built and parsed byte for byte as the standard's ABNF (and
 * siwe 3, viem) lay them out. Parsing is strict and fails closed: every field is checked against
 * its grammar, dates must be real calendar dates, the address must be in its EIP-55 form.
 */
import { toChecksumAddress } from './eip191.js';
import { malformed, misconfigured } from './errors.js';
import { AUTHORITY, isUri, NONCE, parseDateTime, REQUEST_ID, SCHEME, STATEMENT } from './grammar.js';

/** The fields of an EIP-4361 message. Dates are RFC 3339 text, kept exactly as written. */
export interface SiweMessage {
  /** The URI scheme before the domain on line 1 (`https`), when the message has one. */
  scheme?: string;
  /** The RFC 3986 authority that asks for the sign-in: host, with the port if any. */
  domain: string;
  /** The EIP-55 address. */
  address: string;
  /** One line of human text, or none. */
  statement?: string;
  uri: string;
  /** Always `'1'`. */
  version: '1';
  /** The EIP-155 chain id. */
  chainId: number;
  nonce: string;
  issuedAt: string;
  expirationTime?: string;
  notBefore?: string;
  requestId?: string;
  resources?: string[];
}

/** Longest message (in UTF-16 code units) {@link parseSiweMessage} reads. */
export const MAX_MESSAGE_LENGTH = 16_384;

const LINE1 = / wants you to sign in with your Ethereum account:$/;
const ADDRESS = /^0x[0-9a-fA-F]{40}$/;
const CHAIN_ID = /^[0-9]+$/;
const OPTIONAL_LABELS = ['Expiration Time: ', 'Not Before: ', 'Request ID: '] as const;

function fieldProblem(fields: Partial<SiweMessage>): string | undefined {
  const { scheme, domain, address, statement, uri, version, chainId, nonce, issuedAt } = fields;
  if (scheme !== undefined && !SCHEME.test(scheme)) return 'scheme is not an RFC 3986 scheme';
  if (typeof domain !== 'string' || !AUTHORITY.test(domain)) return 'domain is not an RFC 3986 authority';
  if (typeof address !== 'string' || !ADDRESS.test(address))
    return 'address is not 0x followed by 40 hex digits';
  if (address !== toChecksumAddress(address)) return 'address is not in its EIP-55 checksum form';
  if (statement !== undefined && !STATEMENT.test(statement))
    return 'statement is not one line of RFC 3986 characters';
  if (typeof uri !== 'string' || !isUri(uri)) return 'uri is not an RFC 3986 URI';
  if (version !== '1') return 'version is not 1';
  if (!Number.isSafeInteger(chainId) || (chainId as number) < 0)
    return 'chain id is not a non-negative integer';
  if (typeof nonce !== 'string' || !NONCE.test(nonce)) return 'nonce is not at least 8 letters or digits';
  if (typeof issuedAt !== 'string' || parseDateTime(issuedAt) === undefined)
    return 'issued-at is not an RFC 3339 date-time';
  for (const name of ['expirationTime', 'notBefore'] as const) {
    const value = fields[name];
    if (value !== undefined && parseDateTime(value) === undefined)
      return `${name} is not an RFC 3339 date-time`;
  }
  if (fields.requestId !== undefined && !REQUEST_ID.test(fields.requestId))
    return 'request id is not RFC 3986 path characters';
  if (fields.resources?.some((resource) => !isUri(resource))) return 'a resource is not an RFC 3986 URI';
  return undefined;
}

/**
 * The EIP-4361 text of `fields`, exactly as siwe 3's `toMessage` and viem's `createSiweMessage`
 * produce it: fixed line order, LF only, no trailing LF, three LFs after the address when there is
 * no statement.
 *
 * Errors: `ERR_CONFIG` when a field breaks its grammar (a line break anywhere, a lowercase address, a
 * short nonce, an impossible date, a URI without a scheme).
 *
 * @example
 * ```ts
 * createSiweMessage({ domain: 'example.com', address: '0xf39F…2266', uri: 'https://example.com',
 *   version: '1', chainId: 1, nonce: 'k3n4x5m6p7q8', issuedAt: '2025-01-01T00:00:00.000Z' });
 * ```
 */
export function createSiweMessage(fields: SiweMessage): string {
  const problem = fieldProblem(fields);
  if (problem) misconfigured(`Cannot build a SIWE message: ${problem}.`);
  return serializeSiweMessage(fields);
}

/**
 * The EIP-4361 layout of `fields` without any check of the fields: for callers that validate by
 * their own rules (Picket signs addresses in the case the client sent). Prefer
 * {@link createSiweMessage}.
 *
 * @example
 * ```ts
 * serializeSiweMessage({ ...fields, address: '0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266' });
 * ```
 */
export function serializeSiweMessage(fields: SiweMessage): string {
  const origin = fields.scheme === undefined ? fields.domain : `${fields.scheme}://${fields.domain}`;
  let text = `${origin} wants you to sign in with your Ethereum account:\n${fields.address}\n\n`;
  if (fields.statement !== undefined) text += `${fields.statement}\n`;
  text += `\nURI: ${fields.uri}\nVersion: ${fields.version}\nChain ID: ${fields.chainId}\nNonce: ${fields.nonce}\nIssued At: ${fields.issuedAt}`;
  if (fields.expirationTime !== undefined) text += `\nExpiration Time: ${fields.expirationTime}`;
  if (fields.notBefore !== undefined) text += `\nNot Before: ${fields.notBefore}`;
  if (fields.requestId !== undefined) text += `\nRequest ID: ${fields.requestId}`;
  if (fields.resources !== undefined) {
    text += '\nResources:';
    for (const resource of fields.resources) text += `\n- ${resource}`;
  }
  return text;
}

function bad(what: string): never {
  malformed('The SIWE message is malformed.', what);
}

function labelled(lines: string[], index: number, label: string): string {
  const line = lines[index];
  if (line === undefined || !line.startsWith(label)) bad(`line ${index + 1} is not '${label.trim()}'`);
  return line.slice(label.length);
}

/**
 * Parses an EIP-4361 message strictly: the ABNF line by line, EIP-55 address, real calendar dates,
 * nothing before, between or after the lines. Refuses text over {@link MAX_MESSAGE_LENGTH} first.
 * Runs in time linear in the text.
 *
 * Errors: `ERR_CREDENTIAL_MALFORMED`, with the first broken rule in `details`.
 *
 * @example
 * ```ts
 * const fields = parseSiweMessage(message);
 * fields.chainId; // 1
 * ```
 */
export function parseSiweMessage(text: unknown): SiweMessage {
  if (typeof text !== 'string') bad('the message is not a string');
  if (text.length > MAX_MESSAGE_LENGTH) bad(`the message is longer than ${MAX_MESSAGE_LENGTH} characters`);
  const lines = text.split('\n');
  const first = lines[0] as string;
  const suffix = LINE1.exec(first);
  if (!suffix) bad('line 1 is not "<domain> wants you to sign in with your Ethereum account:"');
  let origin = first.slice(0, suffix.index);
  let scheme: string | undefined;
  const separator = origin.indexOf('://');
  if (separator !== -1) {
    scheme = origin.slice(0, separator);
    origin = origin.slice(separator + 3);
  }
  const fields: Partial<SiweMessage> & { resources?: string[] } = { domain: origin };
  if (scheme !== undefined) fields.scheme = scheme;
  fields.address = lines[1];
  if (lines[2] !== '') bad('line 3 is not empty');
  let i = 3;
  if (lines[i] !== '') {
    fields.statement = lines[i];
    i += 1;
    if (lines[i] !== '') bad('the statement is not followed by an empty line');
  }
  i += 1;
  fields.uri = labelled(lines, i++, 'URI: ');
  const version = labelled(lines, i++, 'Version: ');
  if (version !== '1') bad('version is not 1');
  fields.version = version;
  const chainId = labelled(lines, i++, 'Chain ID: ');
  if (!CHAIN_ID.test(chainId) || chainId.length > 15) bad('chain id is not a decimal integer');
  fields.chainId = Number(chainId);
  fields.nonce = labelled(lines, i++, 'Nonce: ');
  fields.issuedAt = labelled(lines, i++, 'Issued At: ');
  const keys = ['expirationTime', 'notBefore', 'requestId'] as const;
  for (const [k, label] of OPTIONAL_LABELS.entries()) {
    if (lines[i]?.startsWith(label))
      fields[keys[k] as (typeof keys)[number]] = (lines[i++] as string).slice(label.length);
  }
  if (lines[i] === 'Resources:') {
    i += 1;
    fields.resources = [];
    while (i < lines.length) fields.resources.push(labelled(lines, i++, '- '));
  }
  if (i !== lines.length) bad(`line ${i + 1} is not a field in its place`);
  const problem = fieldProblem(fields);
  if (problem) bad(problem);
  return fields as SiweMessage;
}
