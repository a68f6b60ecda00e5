/**
 * What signing costs: the OAuth 1.0a header of one API call, and the validation of one iframe postback.
 * Ours runs HMAC-SHA1 from @noble/hashes (no Node APIs, so it runs in browsers and workers). The
 * ratio the issue sets is against oauth-1.0a driven directly with the same @noble/hashes HMAC (CPU
 * per header, interleaved rounds, medians), printed beside its target; the vitest groups below add
 * the Node-only alternative, oauth-1.0a with node:crypto's HMAC, in wall time.
 */
import { createHmac } from 'node:crypto';
import { cpuPerOp, micros, reportRatio } from '@authbridge/test-utils';
import OAuth from 'oauth-1.0a';
import { bench, describe } from 'vitest';
import { formDecode, formEncode } from './form.js';
import { hmacSha1Base64 } from './hmac-sha1.js';
import { toopherIframe } from './iframe.js';
import { createOAuth1Signer } from './oauth1.js';
import { P1, P1_SIG } from './postback-p1.fixture.js';

const URL_ = 'https://api.toopher.test/v1/authentication_requests/initiate';
const BODY =
  'user_name=user+name&terminal_name=my+laptop&action_name=Log+In&requester_specified_terminal_id=rs-1';
const OPTIONS = { time: 1000, warmupTime: 200 };

const ours = createOAuth1Signer({ consumerKey: 'key', consumerSecret: 'secret' });
const nodeOAuth = new OAuth({
  consumer: { key: 'key', secret: 'secret' },
  signature_method: 'HMAC-SHA1',
  hash_function: (base, key) => createHmac('sha1', key).update(base).digest('base64'),
});

const nobleOAuth = new OAuth({
  consumer: { key: 'key', secret: 'secret' },
  signature_method: 'HMAC-SHA1',
  hash_function: (base, key) => hmacSha1Base64(key, base),
});
const signing = {
  ours: () => {
    ours.authorizationHeader('POST', URL_, BODY);
  },
  direct: () => {
    const data = Object.fromEntries(formDecode(BODY));
    nobleOAuth.toHeader(nobleOAuth.authorize({ method: 'POST', url: URL_, data }));
  },
};
const cost = await cpuPerOp(signing, { rounds: 15, opsPerRound: 2000 });
reportRatio(
  'toopher.sign/oauth-1.0a-noble',
  cost.direct / cost.ours,
  { min: 0.95 },
  `speed relative to oauth-1.0a with the same HMAC: ${micros(cost.ours)} vs ${micros(cost.direct)} CPU per header`,
);

describe('OAuth 1.0a Authorization header for a POST with a 4-field form body', () => {
  bench(
    'ours: createOAuth1Signer (oauth-1.0a, @noble/hashes HMAC)',
    () => {
      ours.authorizationHeader('POST', URL_, BODY);
    },
    OPTIONS,
  );
  bench('oauth-1.0a with the same @noble/hashes HMAC', signing.direct, OPTIONS);
  bench(
    'oauth-1.0a with node:crypto HMAC',
    () => {
      const data = Object.fromEntries(formDecode(BODY));
      nodeOAuth.toHeader(nodeOAuth.authorize({ method: 'POST', url: URL_, data }));
    },
    OPTIONS,
  );
});

const iframe = toopherIframe({ consumerKey: 'abcdefg', consumerSecret: 'hijklmnop', now: () => 1_000_000 });
const POSTBACK = `${formEncode(P1)}&toopher_sig=${encodeURIComponent(P1_SIG)}`;

/** The same checks as processPostback's signature step, with node:crypto. */
function nodeValidate(text: string): boolean {
  const fields = new Map<string, string>();
  for (const [name, value] of formDecode(text)) if (!fields.has(name)) fields.set(name, value);
  const sorted = [...fields].filter(([n]) => n !== 'toopher_sig').sort(([a], [b]) => (a < b ? -1 : 1));
  const sig = createHmac('sha1', 'hijklmnop').update(formEncode(sorted)).digest('base64');
  return sig === fields.get('toopher_sig');
}

describe('iframe postback validation (spec P1, 17 fields)', () => {
  bench(
    'ours: processPostback (@noble/hashes HMAC, constant-time compare, mapping)',
    () => {
      iframe.processPostback(POSTBACK, { requestToken: 's9s7vsb' });
    },
    OPTIONS,
  );
  bench(
    'decode, sort, node:crypto HMAC, compare (signature step only)',
    () => {
      if (!nodeValidate(POSTBACK)) throw new Error('the P1 vector must validate');
    },
    OPTIONS,
  );
});
