/**
 * Reading a DID token: `base64(JSON.stringify([proof, claimJson]))`, with the claim kept as the exact
 * string that was signed.
 */
import { bytesToUtf8, checksumEvmAddress, isAscii } from '@authbridge/core';
import { didTokenError } from './errors.js';

/** The claim of a DID token (Magic's "Decentralized ID Token Specification"). Times are in seconds. */
export interface DIDTokenClaim {
  /** Issued at. */
  iat: number;
  /** Expiry: the token is refused once `now > ext`. Not `exp`. */
  ext: number;
  /** Not before; Magic allows 300 s of clock skew. */
  nbf: number;
  /** The signer: `did:ethr:0x<address>`. Use it as the user id. */
  iss: string;
  /** The user's Magic entity id. */
  sub: string;
  /** The client id of the Magic app that issued the token. */
  aud: string;
  /** The token id (a UUID). */
  tid: string;
  /** `personal_sign(attachment)`, the attachment defaulting to `"none"`. */
  add: string;
}

/** A decoded, not yet validated, DID token. */
export interface DecodedDIDToken {
  /** `0x` + 130 hex digits: the issuer's `personal_sign` of {@link DecodedDIDToken.rawClaim}. */
  proof: string;
  /** The claim exactly as transported: the bytes that were signed. */
  rawClaim: string;
  claim: DIDTokenClaim;
}

/**
 * The longest DID token read, in characters, checked before anything else. Magic's tokens are about
 * 800 characters (a 65-byte proof and eight short claim fields, base64 of JSON of JSON); 8192 leaves
 * room for long client ids and attachments' signatures while bounding the work an attacker can ask for.
 */
export const DID_TOKEN_MAX_LENGTH = 8192;

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const NUMBER_FIELDS = ['iat', 'ext', 'nbf'] as const;
const STRING_FIELDS = ['iss', 'sub', 'aud', 'tid', 'add'] as const;

function malformed(details: string, cause?: unknown): never {
  throw didTokenError('ERROR_MALFORMED_TOKEN', { details, cause });
}

/**
 * Strict standard base64, padded or not: padding is optional because tokens come both ways (spec
 * §5.1, `VALID_ATTACHMENT_DIDT` has no `=`), so a token has two spellings whenever its length is not
 * a multiple of 4. Anything else (non-canonical trailing bits, partial padding, the url-safe
 * alphabet, junk) is refused, so the spellings stay few. Keys that must identify a credential come
 * from the claim (`replayKey`), never from the token string. A deliberate deviation from the JS SDK,
 * whose Node decoder (`Buffer.from(t, 'base64')`) skips junk and takes the url-safe alphabet: Magic's
 * own tokens are always strict, so only re-spelled ones are refused (README, "Migrating").
 * Returns the bytes as a binary string, one char per byte.
 */
function decodeBase64(text: string): string {
  // Counted by hand: `/=+$/` backtracks quadratically on a long run of `=` inside the text.
  let padding = 0;
  while (padding < text.length && text[text.length - 1 - padding] === '=') padding++;
  const body = text.slice(0, text.length - padding);
  if (padding > 2 || body.length % 4 === 1) malformed('The token is not standard base64.');
  if (padding > 0 && text.length % 4 !== 0) malformed('The token has wrong base64 padding.');
  const tail = body.length % 4;
  if (tail !== 0) {
    const last = BASE64_ALPHABET.indexOf(body[body.length - 1] as string);
    const unused = tail === 2 ? 0b1111 : 0b11;
    if ((last & unused) !== 0) malformed('The token is not canonical base64.');
  }
  // atob (forgiving-base64) takes unpadded input and refuses any char outside the alphabet but
  // ASCII whitespace, which it skips: a skipped char shortens the output, so a length short of
  // what `body` spells means whitespace, refused like any other junk.
  let binary: string;
  try {
    binary = atob(body);
  } catch {
    return malformed('The token is not standard base64.');
  }
  if (binary.length !== (body.length * 3) >> 2) malformed('The token is not standard base64.');
  return binary;
}

/**
 * The text of the decoded token: the binary string itself when every byte is ASCII (Magic's tokens
 * are), else the bytes decoded as UTF-8, which must be valid.
 */
function decodeUtf8(binary: string): string {
  if (isAscii(binary)) return binary;
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  // TextDecoder drops a leading BOM silently; the official SDK's JSON.parse fails on it.
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)
    malformed('The token starts with a byte-order mark.');
  try {
    return bytesToUtf8(bytes);
  } catch {
    return malformed('The token does not decode to UTF-8 text.');
  }
}

/**
 * `["…","…"]` with no whitespace, each string's chars literal but for the escapes JSON.stringify
 * writes for `"`, `\` and the five named control chars. The two alternatives never start with the
 * same char, so the match is linear.
 */
const CANONICAL_PAIR = /^\["(?:[^"\\]|\\["\\bfnrt])*","(?:[^"\\]|\\["\\bfnrt])*"\]$/;

/**
 * Whether `text`, which JSON.parse read as the two strings of `outer`, is exactly
 * `JSON.stringify(outer)`. Without a `\u` escape in the text, every char has one spelling there but
 * `/` (`\/`), and between the tokens only whitespace could be added: the shape above decides, with
 * no second copy of the token. A text with a `\u` escape (or with `\\` before a `u`) is compared
 * with its re-encoding, which alone knows which chars JSON.stringify spells that way.
 */
function isCanonical(text: string, outer: unknown[]): boolean {
  return text.includes('\\u') ? JSON.stringify(outer) === text : CANONICAL_PAIR.test(text);
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    return malformed(`The ${what} is not JSON.`, error instanceof Error ? new Error(error.name) : undefined);
  }
}

/**
 * Checks the claim's field types. The official SDKs only check presence, so `ext: "never"` never
 * expires there (magic-admin-js#155); here a field of the wrong type makes the token malformed.
 */
function toClaim(value: unknown): DIDTokenClaim {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    malformed('The claim is not an object.');
  const record = value as Record<string, unknown>;
  const missing = [...NUMBER_FIELDS, ...STRING_FIELDS].filter(
    (k) => record[k] === undefined || record[k] === null,
  );
  if (missing.length > 0) malformed(`The claim is missing required field(s): ${missing.sort().join(', ')}.`);
  for (const key of NUMBER_FIELDS) {
    const field = record[key];
    if (typeof field !== 'number' || !Number.isFinite(field))
      malformed(`The claim field ${key} is not a finite number.`);
  }
  for (const key of STRING_FIELDS) {
    if (typeof record[key] !== 'string') malformed(`The claim field ${key} is not a string.`);
  }
  return record as unknown as DIDTokenClaim;
}

/**
 * Decodes a DID token without checking its signature or times.
 *
 * What is accepted, so that one credential has few spellings (README, "A few spellings per token"):
 * at most {@link DID_TOKEN_MAX_LENGTH} characters (checked first) of strict standard base64, padded
 * or not, of UTF-8 bytes that are exactly `JSON.stringify([proof, claim])` (no byte-order mark, no
 * other whitespace or escapes: a JSON re-encoding is refused), with exactly two strings in the array
 * (the official SDK reads the first two of a longer array; here a third item makes the token
 * malformed) and a claim carrying the eight fields with their types.
 *
 * Throws `ERR_CREDENTIAL_MALFORMED` (`providerCode` `ERROR_MALFORMED_TOKEN`) when the length, the
 * base64, either JSON layer, the canonical form or a claim field's presence or type is wrong. The
 * token never appears in the error.
 *
 * @example
 * ```ts
 * const { claim } = decodeDIDToken(didToken);
 * claim.iss; // 'did:ethr:0xB2ec9b61699762491b6542278E9dFEC9050f8089'
 * ```
 */
export function decodeDIDToken(didToken: string): DecodedDIDToken {
  if (typeof didToken !== 'string' || didToken.length === 0) malformed('The token is empty or not a string.');
  if (didToken.length > DID_TOKEN_MAX_LENGTH)
    malformed(`The token is longer than ${DID_TOKEN_MAX_LENGTH} characters.`);
  const text = decodeUtf8(decodeBase64(didToken));
  const outer = parseJson(text, 'decoded token');
  if (!Array.isArray(outer) || outer.length !== 2) malformed('The token must decode to [proof, claim].');
  const [proof, rawClaim] = outer as unknown[];
  if (typeof proof !== 'string' || typeof rawClaim !== 'string')
    malformed('The proof and the claim must be strings.');
  if (!isCanonical(text, outer))
    malformed('The token is not the canonical encoding JSON.stringify([proof, claim]).');
  return { proof, rawClaim, claim: toClaim(parseJson(rawClaim, 'claim')) };
}

/**
 * The address part of an issuer, lowercased, or `''` when the issuer has no third part: the
 * comparison the official JS SDK makes, kept so that its outcomes are reproduced exactly.
 *
 * @example
 * ```ts
 * parsePublicAddressFromIssuer('did:ethr:0xAbC'); // '0xabc'
 * ```
 */
export function parsePublicAddressFromIssuer(issuer: string): string {
  return issuer.split(':')[2]?.toLowerCase() ?? '';
}

/**
 * The EIP-55 mixed-case checksum spelling of a `0x` + 40 hex digit address (any case in).
 *
 * Throws `ERR_CREDENTIAL_MALFORMED` when `address` is not `0x` + 40 hex digits.
 *
 * @example
 * ```ts
 * toChecksumAddress('0x5aaeb6053f3e94c9b9a09f33669435e7ef1beaed');
 * // '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed'
 * ```
 */
export function toChecksumAddress(address: string): string {
  return checksumEvmAddress(address) ?? malformed('The address is not 0x followed by 40 hex digits.');
}

/**
 * The issuer as Magic issues it for a signer: `did:ethr:` + the EIP-55 checksummed address. One key
 * has one canonical issuer, whichever of the spellings the SDK accepts (any case, another method,
 * extra parts) its token carries in `iss`: the `AuthResult.subject` of a Magic login.
 *
 * Throws `ERR_CREDENTIAL_MALFORMED` when `address` is not `0x` + 40 hex digits.
 *
 * @example
 * ```ts
 * canonicalIssuer('0xb2ec9b61699762491b6542278e9dfec9050f8089');
 * // 'did:ethr:0xB2ec9b61699762491b6542278E9dFEC9050f8089'
 * ```
 */
export function canonicalIssuer(address: string): string {
  return `did:ethr:${toChecksumAddress(address)}`;
}

/**
 * The issuer of a public address: `did:<method>:<address>`, case kept.
 *
 * @example
 * ```ts
 * generateIssuerFromPublicAddress('0x1234'); // 'did:ethr:0x1234'
 * ```
 */
export function generateIssuerFromPublicAddress(publicAddress: string, method = 'ethr'): string {
  return `did:${method}:${publicAddress}`;
}

/**
 * The issuer (`iss`) of a DID token, which is the stable user id. Does not validate the token.
 *
 * Throws `ERR_CREDENTIAL_MALFORMED` as {@link decodeDIDToken}.
 *
 * @example
 * ```ts
 * getIssuer(didToken); // 'did:ethr:0xB2ec9b61699762491b6542278E9dFEC9050f8089'
 * ```
 */
export function getIssuer(didToken: string): string {
  return decodeDIDToken(didToken).claim.iss;
}

/**
 * The public address in the issuer of a DID token, case kept. Does not validate the token.
 *
 * Throws `ERR_CREDENTIAL_MALFORMED` as {@link decodeDIDToken}, and also when the issuer has no
 * address part (where the JS SDK returns `undefined`).
 *
 * @example
 * ```ts
 * getPublicAddress(didToken); // '0xB2ec9b61699762491b6542278E9dFEC9050f8089'
 * ```
 */
export function getPublicAddress(didToken: string): string {
  const address = getIssuer(didToken).split(':')[2];
  if (!address) malformed('The issuer does not follow did:method:address.');
  return address;
}
