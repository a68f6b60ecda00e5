/**
 * One log line per event, whatever a client put in it: a path or a message with a newline could
 * otherwise forge a second log line (log injection), and escape sequences could rewrite a terminal.
 */

/** C0 and C1 control characters, DEL, and the Unicode line and paragraph separators. */
function isControl(code: number): boolean {
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029;
}

/**
 * `line` with every control character written as a `\uXXXX` escape, so that it stays one line.
 *
 * @example
 * ```ts
 * log(escapeForLog(`POST ${req.path} -> 401`)); // "/auth\nFAKE" becomes "/auth\u000aFAKE"
 * ```
 */
export function escapeForLog(line: string): string {
  let out = '';
  for (let i = 0; i < line.length; i++) {
    const code = line.charCodeAt(i);
    out += isControl(code) ? `\\u${code.toString(16).padStart(4, '0')}` : line[i];
  }
  return out;
}
