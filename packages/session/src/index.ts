export {
  createSessionCookie,
  MAX_COOKIE_HEADER_LENGTH,
  type SessionCookie,
  type SessionCookieAttributes,
  type SessionCookieOptions,
} from './cookie.js';
export {
  type EdDSASessionKey,
  generateSessionKey,
  type HmacSessionKey,
  type SessionKey,
} from './keys.js';
export {
  createSessions,
  type IssuedSession,
  MAX_SESSION_TOKEN_LENGTH,
  type Session,
  type SessionIdentity,
  type SessionOptions,
  type Sessions,
} from './sessions.js';
