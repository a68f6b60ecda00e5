/**
 * The RFC 3986 / RFC 3339 pieces the EIP-4361 and CAIP-122 grammars are made of, as linear-time
 * regular expressions (no nested quantifier can backtrack), and the calendar check behind dates.
 */

const UNRESERVED = 'A-Za-z0-9\\-._~';
const SUB_DELIMS = "!$&'()*+,;=";
const PCT = '%[0-9A-Fa-f]{2}';

/** RFC 3986 `scheme`. */
export const SCHEME = /^[A-Za-z][A-Za-z0-9+\-.]*$/;

const USERINFO = `(?:[${UNRESERVED}${SUB_DELIMS}:]|${PCT})*`;
const REG_NAME = `(?:[${UNRESERVED}${SUB_DELIMS}]|${PCT})+`;
const IP_LITERAL = "\\[[0-9A-Fa-f:.]+\\]|\\[[vV][0-9A-Fa-f]+\\.[A-Za-z0-9\\-._~!$&'()*+,;=:]+\\]";
/** RFC 3986 `authority`, non-empty host: `[userinfo "@"] host [":" port]`. */
export const AUTHORITY = new RegExp(`^(?:${USERINFO}@)?(?:${IP_LITERAL}|${REG_NAME})(?::[0-9]*)?$`);

/**
 * An RFC 3986 URI: a scheme, then only URI characters, every `%` starting a pct-encoding, at most one
 * `#`, and brackets only in the authority.
 */
const URI_CHARS = new RegExp(
  `^[A-Za-z][A-Za-z0-9+\\-.]*:(?:[${UNRESERVED}${SUB_DELIMS}:/?#@\\[\\]]|${PCT})*$`,
);

/** Whether `text` is an RFC 3986 URI (scheme required). */
export function isUri(text: string): boolean {
  if (!URI_CHARS.test(text)) return false;
  const hash = text.indexOf('#');
  if (hash !== -1 && text.indexOf('#', hash + 1) !== -1) return false;
  const beforeFragment = hash === -1 ? text : text.slice(0, hash);
  if (/[[\]]/.test(beforeFragment)) {
    // Brackets belong to an IP literal in the authority only.
    const match = /^[^:]+:\/\/([^/?#]*)([^#]*)$/.exec(beforeFragment);
    if (!match || !AUTHORITY.test(match[1] as string) || /[[\]]/.test(match[2] as string)) return false;
  }
  return true;
}

/** EIP-4361 `statement`: reserved / unreserved characters and space, at least one. */
export const STATEMENT = /^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;= ]+$/;
/** EIP-4361 `nonce`: at least 8 alphanumerics. */
export const NONCE = /^[A-Za-z0-9]{8,}$/;
/** EIP-4361 `request-id`: `*pchar`. */
export const REQUEST_ID = new RegExp(`^(?:[${UNRESERVED}${SUB_DELIMS}:@]|${PCT})*$`);

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d{1,9})?(Z|[+-](\d{2}):(\d{2}))$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/**
 * The instant an RFC 3339 `date-time` names, in ms since the epoch, or `undefined` when the text is
 * not one or names no real calendar date (`2022-02-31` is refused, not rolled over to March).
 *
 * @example
 * ```ts
 * parseDateTime('2021-09-30T16:25:24-02:00'); // 1633033524000
 * parseDateTime('2022-02-31T17:09:38.578Z'); // undefined
 * ```
 */
export function parseDateTime(text: string): number | undefined {
  const m = DATE_TIME.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  if (month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  let offsetMinutes = 0;
  if (m[8] !== 'Z') {
    const offsetHours = Number(m[9]);
    const offsetMins = Number(m[10]);
    if (offsetHours > 23 || offsetMins > 59) return undefined;
    offsetMinutes = (m[8]?.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const fraction = m[7] ? Math.floor(Number(`0${m[7]}`) * 1000) : 0;
  const utc = new Date(0);
  utc.setUTCFullYear(year, month - 1, day);
  utc.setUTCHours(hour, minute, second, fraction);
  return utc.getTime() - offsetMinutes * 60_000;
}
