// Magic's DID token validation on every runtime, with the spec §5 vectors (pure-JS secp256k1 recovery).
import { validateDIDToken } from '@authbridge/magic';
import { equal, rejectsWithCode, test } from 'authbridge-runtime-test';
import { EXPIRED_DIDT, INVALID_DIDT_MALFORMED_CLAIM, INVALID_SIGNER_DIDT, VALID_DIDT } from '../vectors.js';

const AUD = 'did:magic:f54168e9-9ce9-47f2-81c8-7cb2a96b26ba';
// Inside VALID_DIDT's validity (iat 1585011204, ext 1900411204).
const NOW = 1_600_000_000_000;

test('magic: VALID_DIDT validates and names its issuer', () => {
  const { claim } = validateDIDToken(VALID_DIDT, { clientId: AUD, now: NOW });
  equal(claim.iss, 'did:ethr:0xB2ec9b61699762491b6542278E9dFEC9050f8089', 'iss');
});

test('magic: wrong audience, wrong signer, expiry and a malformed claim are typed errors', async () => {
  await rejectsWithCode(
    () => validateDIDToken(VALID_DIDT, { clientId: 'other', now: NOW }),
    'ERR_CREDENTIAL_AUDIENCE',
  );
  await rejectsWithCode(
    () => validateDIDToken(INVALID_SIGNER_DIDT, { clientId: null, now: NOW }),
    'ERR_CREDENTIAL_SIGNATURE',
  );
  await rejectsWithCode(
    () => validateDIDToken(EXPIRED_DIDT, { clientId: null, now: NOW }),
    'ERR_CREDENTIAL_EXPIRED',
  );
  await rejectsWithCode(
    () => validateDIDToken(INVALID_DIDT_MALFORMED_CLAIM, { clientId: null, now: NOW }),
    'ERR_CREDENTIAL_MALFORMED',
  );
  await rejectsWithCode(
    () => validateDIDToken('not a token', { clientId: null, now: NOW }),
    'ERR_CREDENTIAL_MALFORMED',
  );
});
