/**
 * Sign-In With Solana (CAIP-122, Solana profile): the wallet-standard `SolanaSignInInput` message
 * layout, built and parsed, and `verifySignIn(input, output)`, which is stricter than the
 * wallet-standard utility: the domain is always compared, the signing key must be the address the
 * message names, and the times are checked.
 */
import { base58 } from '@scure/base';
import { verifyEd25519 } from './ed25519.js';
import { malformed, misconfigured, refuse, wrongChain, wrongNonce } from './errors.js';
import { checkTimes, DEFAULT_CLOCK_SKEW_MS } from './times.js';
import { sameList } from './verify-siwe.js';

/** The wallet-standard `solana:signIn` input: what the app asks the wallet to sign. */
export interface SolanaSignInInput {
  domain?: string;
  address?: string;
  statement?: string;
  uri?: string;
  version?: string;
  chainId?: string;
  nonce?: string;
  issuedAt?: string;
  expirationTime?: string;
  notBefore?: string;
  requestId?: string;
  resources?: string[];
}

/** The wallet-standard `solana:signIn` output, as far as verification needs it. */
export interface SolanaSignInOutput {
  account: { publicKey: Uint8Array; address?: string };
  signedMessage: Uint8Array;
  signature: Uint8Array;
  signatureType?: 'ed25519';
}

/** The fields of a parsed SIWS message: domain and address are always there. */
export type SolanaSignInMessage = SolanaSignInInput & { domain: string; address: string };

/** Longest SIWS message (in bytes or UTF-16 code units) that is parsed. */
export const MAX_SIGN_IN_MESSAGE_LENGTH = 16_384;

const HEADER = ' wants you to sign in with your Solana account:';
const FIELDS = [
  ['uri', 'URI: '],
  ['version', 'Version: '],
  ['chainId', 'Chain ID: '],
  ['nonce', 'Nonce: '],
  ['issuedAt', 'Issued At: '],
  ['expirationTime', 'Expiration Time: '],
  ['notBefore', 'Not Before: '],
  ['requestId', 'Request ID: '],
] as const;

function startsField(line: string | undefined): boolean {
  return line !== undefined && (line === 'Resources:' || FIELDS.some(([, label]) => line.startsWith(label)));
}

/**
 * The text a wallet signs for `input`, byte for byte as wallet-standard's `createSignInMessageText`.
 *
 * Errors: `ERR_CONFIG` when domain or address is missing, or a one-line field has a line break.
 *
 * @example
 * ```ts
 * createSignInMessageText({ domain: 'solana.com', address: 'A', uri: 'https://solana.com' });
 * // 'solana.com wants you to sign in with your Solana account:\nA\n\nURI: https://solana.com'
 * ```
 */
export function createSignInMessageText(input: SolanaSignInMessage): string {
  if (!input.domain || !input.address)
    misconfigured('A Solana sign-in message needs a domain and an address.');
  for (const [name, value] of Object.entries(input)) {
    if (name !== 'statement' && typeof value === 'string' && /[\r\n]/.test(value))
      misconfigured(`'${name}' must not contain a line break.`);
  }
  if (input.resources?.some((r) => /[\r\n]/.test(r)))
    misconfigured(`A resource must not contain a line break.`);
  let text = `${input.domain}${HEADER}\n${input.address}`;
  if (input.statement !== undefined) text += `\n\n${input.statement}`;
  const lines: string[] = [];
  for (const [key, label] of FIELDS) {
    const value = input[key];
    if (value !== undefined) lines.push(`${label}${value}`);
  }
  if (input.resources !== undefined) {
    lines.push('Resources:');
    for (const resource of input.resources) lines.push(`- ${resource}`);
  }
  if (lines.length > 0) text += `\n\n${lines.join('\n')}`;
  return text;
}

function bad(what: string): never {
  malformed('The Solana sign-in message is malformed.', what);
}

/**
 * Parses a SIWS message text as wallet-standard's `parseSignInMessageText` reads it (a statement may
 * span lines), refusing anything its layout does not produce: fields out of order, a field twice,
 * text after the resources. Refuses text over {@link MAX_SIGN_IN_MESSAGE_LENGTH} first; linear time.
 *
 * Errors: `ERR_CREDENTIAL_MALFORMED`.
 *
 * @example
 * ```ts
 * parseSignInMessageText('solana.com wants you to sign in with your Solana account:\nA\n\nS');
 * // { domain: 'solana.com', address: 'A', statement: 'S' }
 * ```
 */
export function parseSignInMessageText(text: unknown): SolanaSignInMessage {
  if (typeof text !== 'string') bad('the message is not a string');
  if (text.length > MAX_SIGN_IN_MESSAGE_LENGTH)
    bad(`the message is longer than ${MAX_SIGN_IN_MESSAGE_LENGTH}`);
  // A CR would survive the line split inside a field and read as part of its value.
  if (text.includes('\r')) bad('the message contains a carriage return');
  const lines = text.split('\n');
  const first = lines[0] as string;
  if (!first.endsWith(HEADER) || first.length === HEADER.length) bad('line 1 is not the sign-in header');
  const domain = first.slice(0, -HEADER.length);
  const address = lines[1];
  if (!address) bad('line 2 is not an address');
  const message: SolanaSignInMessage = { domain, address };
  let i = 2;
  if (i === lines.length) return message;
  if (lines[i] !== '') bad('the address is not followed by an empty line');
  i += 1;
  if (!startsField(lines[i])) {
    // The statement runs to the first empty line followed by a field, or to the end.
    let end = i;
    while (end < lines.length && !(lines[end] === '' && startsField(lines[end + 1]))) end += 1;
    message.statement = lines.slice(i, end).join('\n');
    if (end === lines.length) return message;
    i = end + 1;
  }
  let field = 0;
  for (; i < lines.length && lines[i] !== 'Resources:'; i++) {
    const line = lines[i] as string;
    while (field < FIELDS.length && !line.startsWith((FIELDS[field] as (typeof FIELDS)[number])[1]))
      field += 1;
    const entry = FIELDS[field];
    if (!entry) bad(`line ${i + 1} is not a field in its place`);
    message[entry[0]] = line.slice(entry[1].length);
    field += 1;
  }
  if (i < lines.length) {
    message.resources = [];
    for (i += 1; i < lines.length; i++) {
      const line = lines[i] as string;
      if (!line.startsWith('- ')) bad(`line ${i + 1} is not a resource`);
      message.resources.push(line.slice(2));
    }
  }
  return message;
}

/** Options of {@link verifySignIn}. */
export interface VerifySignInOptions {
  /** The time to judge by, in ms or as a Date. Default now. */
  time?: number | Date;
  /** Allowed clock difference, in ms. Default 30000. */
  clockSkewMs?: number;
  /** Refuse an `issuedAt` in the future (beyond the skew). Default true. */
  rejectFutureIssuedAt?: boolean;
  /** Refuse an `issuedAt` before this instant (minus the skew), in ms. */
  issuedNotBefore?: number;
}

/**
 * Checks a `solana:signIn` output against the input the server issued: the signed text parses, names
 * the issued domain (always) and address (when issued), repeats every other issued field exactly
 * (absent where absent), is byte for byte its own canonical text, is within its times, and carries an
 * ed25519 signature by the key its address names (which must be `output.account.publicKey`).
 *
 * Errors: `ERR_CONFIG` when `input.domain` is missing; `ERR_CREDENTIAL_MALFORMED` (layout, key or
 * signature size, dates); `ERR_CREDENTIAL_DOMAIN` (domain, URI); `ERR_CREDENTIAL_CHAIN`;
 * `ERR_CREDENTIAL_NONCE`; `ERR_CREDENTIAL_AUDIENCE` (address, or a public key not the message's);
 * `ERR_CREDENTIAL_REJECTED` (any other field); `ERR_CREDENTIAL_EXPIRED`, `ERR_CREDENTIAL_NOT_YET_VALID`,
 * `ERR_CREDENTIAL_ISSUED_AT`; `ERR_CREDENTIAL_SIGNATURE`.
 *
 * @example
 * ```ts
 * const fields = await verifySignIn(issuedInput, { account: { publicKey }, signedMessage, signature });
 * ```
 */
export async function verifySignIn(
  input: SolanaSignInInput,
  output: SolanaSignInOutput,
  options: VerifySignInOptions = {},
): Promise<SolanaSignInMessage> {
  if (!input.domain) misconfigured('verifySignIn needs the domain the server expects (input.domain).');
  const { signedMessage, signature } = output;
  const publicKey = output.account?.publicKey;
  if (
    !(signedMessage instanceof Uint8Array) ||
    !(signature instanceof Uint8Array) ||
    !(publicKey instanceof Uint8Array)
  )
    bad('the message, signature and public key must be bytes');
  if (signedMessage.length > MAX_SIGN_IN_MESSAGE_LENGTH) bad('the message is too long');
  if (publicKey.length !== 32) bad('the public key is not 32 bytes');
  if (signature.length !== 64) bad('the signature is not 64 bytes');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(signedMessage);
  } catch {
    bad('the message is not UTF-8');
  }
  const message = parseSignInMessageText(text);
  if (message.domain !== input.domain)
    refuse(
      'ERR_CREDENTIAL_DOMAIN',
      'The message was signed for another domain.',
      `Domain: ${message.domain}`,
    );
  if (input.address !== undefined && message.address !== input.address)
    refuse('ERR_CREDENTIAL_AUDIENCE', 'The message names another wallet than the one issued.');
  if (message.uri !== input.uri)
    refuse('ERR_CREDENTIAL_DOMAIN', 'The message URI is not the one issued.', `URI: ${message.uri}`);
  if (message.chainId !== input.chainId) wrongChain(message.chainId ?? 'none');
  if (message.nonce !== input.nonce) wrongNonce();
  for (const key of [
    'statement',
    'version',
    'issuedAt',
    'expirationTime',
    'notBefore',
    'requestId',
  ] as const) {
    if (message[key] !== input[key])
      refuse('ERR_CREDENTIAL_REJECTED', `The signed message's ${key} is not the one issued.`);
  }
  if (!sameList(message.resources, input.resources))
    refuse('ERR_CREDENTIAL_REJECTED', "The signed message's resources are not the ones issued.");
  if (createSignInMessageText(message) !== text) bad('the message is not in its canonical layout');
  let named: Uint8Array;
  try {
    named = base58.decode(message.address);
  } catch {
    bad('the address is not base58');
  }
  if (named.length !== 32 || !named.every((b, i) => b === publicKey[i]))
    refuse('ERR_CREDENTIAL_AUDIENCE', 'The signing key is not the one the message names.');
  checkTimes(message, {
    now: options.time === undefined ? Date.now() : Number(options.time),
    clockSkewMs: options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS,
    rejectFutureIssuedAt: options.rejectFutureIssuedAt ?? true,
    issuedNotBefore: options.issuedNotBefore,
  });
  if (!(await verifyEd25519(publicKey, signature, signedMessage)))
    refuse('ERR_CREDENTIAL_SIGNATURE', 'The signature was not made by this wallet.');
  return message;
}
