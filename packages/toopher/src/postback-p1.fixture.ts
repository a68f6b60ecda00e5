import { toopherIframe } from './iframe.js';

/** Toopher spec §7.2 vector P1: a signed authentication postback (secret `hijklmnop`). */
export const P1: [string, string][] = [
  ['id', '1'],
  ['pending', 'false'],
  ['granted', 'true'],
  ['automated', 'false'],
  ['reason', 'it is a test'],
  ['reason_code', '100'],
  ['terminal_id', '1'],
  ['terminal_name', 'terminal name'],
  ['terminal_requester_specified_id', 'requester specified id'],
  ['pairing_user_id', '1'],
  ['user_name', 'user name'],
  ['user_toopher_authentication_enabled', 'true'],
  ['action_id', '1'],
  ['action_name', 'action name'],
  ['session_token', 's9s7vsb'],
  ['timestamp', '1000'],
  ['resource_type', 'authentication_request'],
];
export const P1_SIG = 's+fYUtChrNMjES5Xa+755H7BQKE=';

/** The iframe helper of the spec §7 vectors: key `abcdefg`, secret `hijklmnop`, nonce `12345678`, now 1000 s. */
export const vectorIframe = (nowSeconds = 1000) =>
  toopherIframe({
    consumerKey: 'abcdefg',
    consumerSecret: 'hijklmnop',
    baseUrl: 'https://api.toopher.test/v1',
    now: () => nowSeconds * 1000,
    nonce: () => '12345678',
  });
