// @ts-check
import { createApi, LoginError, loginsOf, signIn } from './flows.js';

/** What each provider's flow looks like to the user, so the buttons say what will happen. */
const descriptions = {
  pi: 'Pi Browser hands the page an access token (minted by the emulator).',
  magic: 'Magic returns a DID token after the email link (minted by the emulator).',
  picket: 'The development wallet signs the server’s nonce.',
  toopher: 'The emulated phone approves the authentication request.',
  wallet: 'The development wallet signs this server’s own Sign-In message; no service is asked.',
};
const failures = {
  pi: 'tampered access token',
  magic: 'expired DID token',
  picket: 'signature of the wrong message',
  toopher: 'request denied on the phone',
  wallet: 'signature of the wrong message',
};

const api = createApi('', (input, init) => fetch(input, { ...init, credentials: 'same-origin' }));
const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @param {import('./flows.js').SessionUser | null} user */
function showUser(user) {
  const status = $('status');
  status.dataset.state = user ? 'signed-in' : 'signed-out';
  status.textContent = user
    ? `Signed in with ${user.provider} as ${user.username ?? user.email ?? user.subject}` +
      (user.username || user.email ? ` (subject ${user.subject})` : '')
    : 'Not signed in.';
  $('sign-out').hidden = !user;
}

/** @param {unknown} error */
function showError(error) {
  const box = $('error');
  if (!error) {
    box.hidden = true;
    return;
  }
  const failure =
    error instanceof LoginError
      ? error
      : new LoginError(0, 'ERR_NETWORK', 'The server could not be reached. Please check your connection.');
  $('error-code').textContent = failure.code;
  $('error-message').textContent = failure.message;
  box.hidden = false;
}

async function refreshSession() {
  const response = await fetch('/auth/me', { credentials: 'same-origin' });
  showUser(response.ok ? (await response.json()).session : null);
}

/**
 * @param {import('./flows.js').Login} login
 * @param {boolean} tamper
 * @param {HTMLButtonElement} button
 */
async function run(login, tamper, button) {
  showError(null);
  document.body.dataset.busy = login.id;
  button.disabled = true;
  try {
    showUser(await signIn(api, login.provider, { tamper, ...(login.chain ? { chain: login.chain } : {}) }));
  } catch (error) {
    showError(error);
    await refreshSession();
  } finally {
    button.disabled = false;
    delete document.body.dataset.busy;
  }
}

async function renderProviders() {
  const response = await fetch('/auth/providers');
  const { providers } = /** @type {{ providers: { id: string }[] }} */ (await response.json());
  const list = $('providers');
  // One entry per login: one per provider, one per chain for the wallet.
  for (const login of loginsOf(providers.map((p) => p.id))) {
    const provider = /** @type {keyof typeof descriptions} */ (login.provider);
    const item = document.createElement('li');
    item.dataset.provider = login.id;
    const name = document.createElement('strong');
    name.textContent = login.label;
    const text = document.createElement('span');
    text.textContent = descriptions[provider] ?? '';
    const signInButton = document.createElement('button');
    signInButton.type = 'button';
    signInButton.className = 'sign-in';
    signInButton.textContent = `Sign in with ${login.label}`;
    signInButton.addEventListener('click', () => run(login, false, signInButton));
    const failButton = document.createElement('button');
    failButton.type = 'button';
    failButton.className = 'fail';
    failButton.textContent = `Fail on purpose (${failures[provider] ?? 'tampered'})`;
    failButton.addEventListener('click', () => run(login, true, failButton));
    item.append(name, text, signInButton, failButton);
    list.append(item);
  }
}

$('sign-out').addEventListener('click', async () => {
  showError(null);
  try {
    await api('/auth/logout');
  } catch (error) {
    showError(error);
  }
  await refreshSession();
});

await Promise.all([renderProviders(), refreshSession()]);
document.body.dataset.ready = 'true';
