import { isAuthBridgeError } from '@authbridge/core';
import { describe, expect, it } from 'vitest';
import { createSigningMessage } from './message.js';

// Spec picket.md §8.3 common inputs.
const common = {
  nonce: 'a1b2c3d4e5f6a7b8',
  statement: 'Sign in with your wallet',
  walletAddress: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
};
const siwe = {
  domain: 'localhost:3000',
  uri: 'http://localhost:3000',
  issuedAt: '2023-01-01T00:00:00.000Z',
  chainId: 1,
};

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return isAuthBridgeError(error) ? error.code : 'not an AuthBridgeError';
  }
  return undefined;
}

describe('createSigningMessage, spec §3.2 and §8.3', () => {
  it('builds the simple message of §8.3', () => {
    expect(createSigningMessage({ format: 'simple', ...common })).toBe(
      'Sign in with your wallet\n\nAddress: 0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\nNonce: a1b2c3d4e5f6a7b8',
    );
  });

  it('defaults to simple when the format is absent', () => {
    expect(createSigningMessage(common)).toBe(createSigningMessage({ format: 'simple', ...common }));
  });

  it('builds the SIWE message of §8.3', () => {
    expect(createSigningMessage({ format: 'siwe', ...common, ...siwe, chainType: 'ethereum' })).toBe(
      'localhost:3000 wants you to sign in with your Ethereum account:\n0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266\n\nSign in with your wallet\n\nURI: http://localhost:3000\nVersion: 1\nChain ID: 1\nNonce: a1b2c3d4e5f6a7b8\nIssued At: 2023-01-01T00:00:00.000Z',
    );
  });

  it('reproduces spruceid vector S-4 (wallet-standards §2) byte for byte', () => {
    expect(
      createSigningMessage({
        format: 'siwe',
        nonce: '15050747',
        statement: 'Sign in with Ethereum to Tally',
        walletAddress: '0xc95EB884FE852e241D409234bfC7045CB9E31BD7',
        domain: 'www.tally.xyz',
        uri: 'https://tally.xyz',
        chainId: 1,
        issuedAt: '2022-06-30T14:08:51.382Z',
      }),
    ).toBe(
      'www.tally.xyz wants you to sign in with your Ethereum account:\n0xc95EB884FE852e241D409234bfC7045CB9E31BD7\n\nSign in with Ethereum to Tally\n\nURI: https://tally.xyz\nVersion: 1\nChain ID: 1\nNonce: 15050747\nIssued At: 2022-06-30T14:08:51.382Z',
    );
  });

  it('uses the Solana wording: reproduces SIWS vector W-2 (wallet-standards §3.3)', () => {
    expect(
      createSigningMessage({
        format: 'siwe',
        nonce: 'bTyXgcQxn2htgkjJn',
        statement: 'Sign-In With Solana Example Statement',
        walletAddress: 'HdNrHhbvY1FM79T7tSDAu9D7sy5gNEqJvqGe7BrBkio9',
        domain: 'login.xyz',
        uri: 'https://login.xyz',
        chainId: 1,
        issuedAt: '2022-01-27T17:09:38.578Z',
        chainType: 'solana',
      }),
    ).toBe(
      'login.xyz wants you to sign in with your Solana account:\nHdNrHhbvY1FM79T7tSDAu9D7sy5gNEqJvqGe7BrBkio9\n\nSign-In With Solana Example Statement\n\nURI: https://login.xyz\nVersion: 1\nChain ID: 1\nNonce: bTyXgcQxn2htgkjJn\nIssued At: 2022-01-27T17:09:38.578Z',
    );
  });

  it('rewrites every "Ethereum", the statement included, for Solana and Flow as picket-js does', () => {
    const statement = 'Use your Ethereum-style wallet';
    const solana = createSigningMessage({
      format: 'siwe',
      ...common,
      ...siwe,
      statement,
      chainType: 'solana',
    });
    expect(solana.split('\n')[0]).toBe('localhost:3000 wants you to sign in with your Solana account:');
    expect(solana).toContain('\n\nUse your Solana-style wallet\n\n');
    const flow = createSigningMessage({ format: 'siwe', ...common, ...siwe, statement, chainType: 'flow' });
    expect(flow.split('\n')[0]).toBe('localhost:3000 wants you to sign in with your Flow account:');
    expect(flow).not.toContain('Ethereum');
  });

  it('throws ERR_CONFIG for each missing field, a zero chain id and an unknown format', () => {
    expect(codeOf(() => createSigningMessage({ ...common, nonce: '' }))).toBe('ERR_CONFIG');
    expect(codeOf(() => createSigningMessage({ ...common, walletAddress: '' }))).toBe('ERR_CONFIG');
    for (const field of ['domain', 'uri', 'issuedAt'] as const) {
      expect(
        codeOf(() => createSigningMessage({ format: 'siwe', ...common, ...siwe, [field]: '' })),
        field,
      ).toBe('ERR_CONFIG');
    }
    expect(codeOf(() => createSigningMessage({ format: 'siwe', ...common, ...siwe, statement: '' }))).toBe(
      'ERR_CONFIG',
    );
    expect(codeOf(() => createSigningMessage({ format: 'siwe', ...common, ...siwe, chainId: 0 }))).toBe(
      'ERR_CONFIG',
    );
    expect(
      codeOf(() => createSigningMessage({ format: 'siwe', ...common, domain: 'a', uri: 'b', issuedAt: 'c' })),
    ).toBe('ERR_CONFIG');
    expect(codeOf(() => createSigningMessage({ format: 'format', ...common }))).toBe('ERR_CONFIG');
  });

  it('refuses line breaks that would forge later lines (wallet-standards §6 pitfall 10)', () => {
    expect(codeOf(() => createSigningMessage({ ...common, nonce: 'abc\nNonce: evil' }))).toBe('ERR_CONFIG');
    expect(codeOf(() => createSigningMessage({ ...common, walletAddress: '0xabc\r\n' }))).toBe('ERR_CONFIG');
    expect(
      codeOf(() =>
        createSigningMessage({ format: 'siwe', ...common, ...siwe, statement: 'hi\n\nURI: https://evil' }),
      ),
    ).toBe('ERR_CONFIG');
    expect(
      codeOf(() => createSigningMessage({ format: 'siwe', ...common, ...siwe, domain: 'evil.com\nx' })),
    ).toBe('ERR_CONFIG');
  });
});
