// @ts-check
/**
 * How each provider's credential is obtained in the demo, shared by the page and the scripted demo.
 *
 * In a real app these steps happen in the provider's own frontend SDK (Pi Browser, Magic's login form, a
 * wallet, the Toopher phone app). Against the emulators, the server's `/dev/*` routes stand in for them.
 * The login itself is always the same two provider-agnostic calls: `/auth/:provider/challenge` when the
 * provider has that step, then `/auth/:provider/verify`.
 */

/** A failed call, with the server's stable code and its user-facing message. */
export class LoginError extends Error {
  /**
   * @param {number} status
   * @param {string} code
   * @param {string} message
   */
  constructor(status, code, message) {
    super(message);
    this.name = 'LoginError';
    this.status = status;
    this.code = code;
  }
}

/**
 * @typedef {(path: string, body?: unknown) => Promise<any>} Api
 *   POSTs JSON to the example server and resolves to the JSON answer; rejects with a {@link LoginError}.
 * @typedef {{ tamper?: boolean, chain?: string }} LoginOptions
 *   `tamper` spoils the credential on purpose, to show how a failed login reads; `chain` picks the chain
 *   of a wallet login (a CAIP-2 id of the server's allow-list).
 * @typedef {{ id: string, provider: string, label: string, chain?: string }} Login
 *   One way to sign in: a button pair on the page, a row in the scripted table.
 * @typedef {{ provider: string, subject: string, username?: string, email?: string,
 *   wallet?: { chain: string, address: string } }} SessionUser
 */

/**
 * Builds an {@link Api} on a fetch function (the browser's, or one with a cookie jar in Node).
 * @param {string} baseUrl
 * @param {typeof fetch} fetchFn
 * @returns {Api}
 */
export function createApi(baseUrl, fetchFn) {
  return async (path, body) => {
    const response = await fetchFn(baseUrl + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body ?? {}),
    });
    const json = await response.json().catch(() => ({}));
    if (!response.ok) {
      throw new LoginError(
        response.status,
        json.code ?? 'ERR_HTTP',
        json.message ?? 'The server answered in an unexpected way. Please try again.',
      );
    }
    return json;
  };
}

/**
 * Spoils the last character of a token, keeping it well-formed: the provider must be the one to refuse it.
 * @param {string} token
 */
export function spoilToken(token) {
  const last = token.at(-1);
  return token.slice(0, -1) + (last === 'A' ? 'B' : 'A');
}

/**
 * Per provider: how the emulated user side produces the credential for `/auth/:provider/verify`.
 * @type {Record<string, (api: Api, options: LoginOptions) => Promise<unknown>>}
 */
export const credentialSources = {
  // Pi Browser's Pi.authenticate() gives the page an access token; the server checks it with Pi's /v2/me.
  pi: async (api, { tamper }) => {
    const { accessToken } = await api('/dev/pi/access-token');
    return tamper ? spoilToken(accessToken) : accessToken;
  },
  // Magic's login form gives the page a DID token, which the server validates locally.
  magic: async (api, { tamper }) => {
    const { didToken } = await api('/dev/magic/did-token', { expired: tamper === true });
    return didToken;
  },
  // The wallet signs the exact message of the server's challenge (Picket's nonce); the page sends back
  // only the challenge id and the signature, the server holds the rest.
  picket: async (api, { tamper }) => {
    const wallet = await api('/dev/picket/wallet');
    const { challenge } = await api('/auth/picket/challenge', wallet);
    const message = tamper ? `${challenge.message}\nand something else` : challenge.message;
    const { signature } = await api('/dev/picket/sign', { walletAddress: wallet.walletAddress, message });
    return { challengeId: challenge.id, signature };
  },
  // The self-hosted wallet login (Sign-In with Ethereum or Solana): the wallet names its account for the
  // chain, the server's challenge binds it and returns the exact message, the wallet signs that message.
  // The page sends back only the challenge id, the message and the signature; nonce, domain, chain and
  // times stay on the server. Spoiled: the signature is over another text.
  wallet: async (api, { tamper, chain }) => {
    const { address } = await api('/dev/wallet/account', { chain });
    const { challenge } = await api('/auth/wallet/challenge', { chain, address });
    const signed = tamper ? `${challenge.message}\nand something else` : challenge.message;
    const { signature } = await api('/dev/wallet/sign', { chain, address, message: signed });
    return { challengeId: challenge.id, message: challenge.message, signature };
  },
  // Toopher pushes the request to the user's phone; the server's verify waits for the answer. The server
  // names the terminal (this browser) itself. In a real app Toopher is a second factor and the username
  // comes from the first factor's session on the server, not from the page.
  toopher: async (api, { tamper }) => {
    const { username } = await api('/dev/toopher/user');
    const { challenge } = await api('/auth/toopher/challenge', { username });
    await api('/dev/toopher/phone', { challengeId: challenge.id, answer: tamper ? 'deny' : 'grant' });
    return { challengeId: challenge.id };
  },
};

/**
 * Providers with more than one login in the demo: the self-hosted wallet signs in on each chain.
 * @type {Record<string, { suffix: string, label: string, chain: string }[]>}
 */
export const loginVariants = {
  wallet: [
    { suffix: 'ethereum', label: 'Wallet (self-hosted), Ethereum', chain: 'eip155:1' },
    { suffix: 'solana', label: 'Wallet (self-hosted), Solana', chain: 'solana:mainnet' },
  ],
};

/**
 * The logins of the given providers, in their order: one per provider, one per chain for the wallet.
 * @param {readonly string[]} providers
 * @returns {Login[]}
 */
export function loginsOf(providers) {
  return providers.flatMap((provider) =>
    (loginVariants[provider] ?? [{ suffix: '', label: provider, chain: undefined }]).map((variant) => ({
      id: variant.suffix ? `${provider}:${variant.suffix}` : provider,
      provider,
      label: variant.label,
      ...(variant.chain ? { chain: variant.chain } : {}),
    })),
  );
}

/**
 * Signs in with one provider and resolves to the session the server issued.
 * @param {Api} api
 * @param {string} provider
 * @param {LoginOptions} [options]
 * @returns {Promise<SessionUser>}
 */
export async function signIn(api, provider, options = {}) {
  const source = credentialSources[provider];
  if (!source)
    throw new LoginError(0, 'ERR_NO_DEMO_FLOW', `The demo has no way to sign in with '${provider}'.`);
  const credential = await source(api, options);
  const { session } = await api(`/auth/${provider}/verify`, { credential });
  return session;
}
