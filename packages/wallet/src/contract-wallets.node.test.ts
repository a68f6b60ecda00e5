import { isAuthBridgeError } from '@authbridge/core';
import { AbiCoder, Contract, getAddress, Interface, zeroPadValue } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf } from '../test/code-of.js';
import { compiled, type EvmNode, NODE_CHAIN_ID, startEvmNode } from '../test/evm-node.js';
import { evmKey, personalSign } from '../test/keys.js';
import {
  createEvmRpc,
  createSiweMessage,
  verifyEvmSignature,
  wallet,
  wrapErc6492Signature,
} from './index.js';

describe('contract wallets on a real local EVM node (ganache over HTTP JSON-RPC)', () => {
  let node: EvmNode;
  const owner = evmKey();
  const stranger = evmKey();
  let account: string;
  let factory: string;
  let echo: string;
  const factoryInterface = new Interface(compiled.contracts.AccountFactory?.abi ?? []);

  beforeAll(async () => {
    node = await startEvmNode();
    account = await node.deploy('OwnerAccount', owner.address);
    factory = await node.deploy('AccountFactory');
    echo = await node.deploy('EchoAccount');
  }, 60_000);
  afterAll(async () => {
    await node?.stop();
  });

  const provider = () =>
    wallet({
      domain: 'app.test',
      chainIds: [NODE_CHAIN_ID],
      rpc: { [NODE_CHAIN_ID]: node.url },
      timeout: 5000,
    });

  async function signedLogin(address: string, sign: (message: string) => string) {
    const p = provider();
    const challenge = await p.createChallenge({ address });
    const message = challenge.message as string;
    return { p, credential: { challengeId: challenge.id, message, signature: sign(message) } };
  }

  it('an ERC-1271 smart account signed by its owner logs in (eip1271), subject is CAIP-10', async () => {
    const { p, credential } = await signedLogin(account, (m) => personalSign(m, owner.privateKey));
    const result = await p.verify(credential);
    expect(result.claims.signatureType).toBe('eip1271');
    expect(result.subject).toBe(`eip155:${NODE_CHAIN_ID}:${getAddress(account)}`);
    expect(result.wallet).toEqual({ chain: 'ethereum', address: getAddress(account) });
  });

  it("the account refuses another key's signature: ERR_CREDENTIAL_SIGNATURE", async () => {
    const { p, credential } = await signedLogin(account, (m) => personalSign(m, stranger.privateKey));
    expect(await codeOf(p.verify(credential))).toBe('ERR_CREDENTIAL_SIGNATURE');
  });

  it('a contract that echoes its calldata (starts with 0x1626ba7e) is not taken as a yes', async () => {
    const { p, credential } = await signedLogin(echo, (m) => personalSign(m, owner.privateKey));
    expect(await codeOf(p.verify(credential))).toBe('ERR_CREDENTIAL_SIGNATURE');
  });

  it('an ERC-6492 counterfactual account (not deployed) logs in, and stays undeployed', async () => {
    const salt = zeroPadValue('0x01', 32);
    const counterfactual = await new Contract(factory, factoryInterface, node.provider).getFunction(
      'addressOf',
    )(owner.address, salt);
    expect(await node.provider.getCode(counterfactual)).toBe('0x');
    const factoryCalldata = factoryInterface.encodeFunctionData('deploy', [owner.address, salt]);
    const { p, credential } = await signedLogin(counterfactual, (m) =>
      wrapErc6492Signature({ factory, factoryCalldata, signature: personalSign(m, owner.privateKey) }),
    );
    const result = await p.verify(credential);
    expect(result.claims.signatureType).toBe('eip6492');
    expect(result.subject).toBe(`eip155:${NODE_CHAIN_ID}:${getAddress(counterfactual)}`);
    expect(await node.provider.getCode(counterfactual)).toBe('0x');
  });

  it('an ERC-6492 signature by the wrong key, or with a factory call that fails, is refused', async () => {
    const salt = zeroPadValue('0x02', 32);
    const counterfactual = await new Contract(factory, factoryInterface, node.provider).getFunction(
      'addressOf',
    )(owner.address, salt);
    const factoryCalldata = factoryInterface.encodeFunctionData('deploy', [owner.address, salt]);
    const wrongKey = await signedLogin(counterfactual, (m) =>
      wrapErc6492Signature({ factory, factoryCalldata, signature: personalSign(m, stranger.privateKey) }),
    );
    expect(await codeOf(wrongKey.p.verify(wrongKey.credential))).toBe('ERR_CREDENTIAL_SIGNATURE');
    const badFactory = await signedLogin(counterfactual, (m) =>
      wrapErc6492Signature({
        factory: echo,
        factoryCalldata: '0x00',
        signature: personalSign(m, owner.privateKey),
      }),
    );
    expect(await codeOf(badFactory.p.verify(badFactory.credential))).toBe('ERR_CREDENTIAL_SIGNATURE');
  });

  it('an ERC-6492 wrapped signature of a deployed account is checked by the account itself', async () => {
    const wrapped = await signedLogin(account, (m) =>
      wrapErc6492Signature({
        factory,
        factoryCalldata: '0x00',
        signature: personalSign(m, owner.privateKey),
      }),
    );
    expect((await wrapped.p.verify(wrapped.credential)).claims.signatureType).toBe('eip6492');
  });

  it('an EOA signature verifies locally, and wrapped it goes through the validator to ecrecover', async () => {
    const eoa = evmKey();
    const { p, credential } = await signedLogin(eoa.address, (m) => personalSign(m, eoa.privateKey));
    expect((await p.verify(credential)).claims.signatureType).toBe('eip191');
    const rpc = createEvmRpc({ url: node.url });
    const message = createSiweMessage({
      domain: 'app.test',
      address: eoa.address,
      uri: 'https://app.test',
      version: '1',
      chainId: NODE_CHAIN_ID,
      nonce: 'abcdefgh1234',
      issuedAt: new Date().toISOString(),
    });
    // The factory call deploys some other account; the signer keeps no code, so the validator recovers.
    const signature = wrapErc6492Signature({
      factory,
      factoryCalldata: factoryInterface.encodeFunctionData('deploy', [
        owner.address,
        zeroPadValue('0x03', 32),
      ]),
      signature: personalSign(message, eoa.privateKey),
    });
    expect(await verifyEvmSignature({ address: eoa.address, message, signature, rpc })).toBe('eip6492');
  });

  it('fails closed when the node is unreachable: ERR_NETWORK, no login', async () => {
    const { credential } = await signedLogin(account, (m) => personalSign(m, owner.privateKey));
    const down = wallet({
      domain: 'app.test',
      chainIds: [NODE_CHAIN_ID],
      rpc: { [NODE_CHAIN_ID]: 'http://127.0.0.1:9' },
    });
    // A challenge from one provider is unknown to another (its own memory store): issue it on `down`.
    const challenge = await down.createChallenge({ address: account });
    const message = challenge.message as string;
    expect(
      await codeOf(
        down.verify({
          challengeId: challenge.id,
          message,
          signature: personalSign(message, owner.privateKey),
        }),
      ),
    ).toBe('ERR_NETWORK');
    expect(credential.challengeId).not.toBe(challenge.id);
  });

  it('without an RPC URL a contract wallet cannot log in', async () => {
    const p = wallet({ domain: 'app.test', chainIds: [NODE_CHAIN_ID] });
    const challenge = await p.createChallenge({ address: account });
    const message = challenge.message as string;
    const error = await p
      .verify({ challengeId: challenge.id, message, signature: personalSign(message, owner.privateKey) })
      .catch((e: unknown) => e);
    expect(isAuthBridgeError(error, 'ERR_CREDENTIAL_SIGNATURE')).toBe(true);
    expect((error as Error).message).toContain('rpc');
  });

  it('the abi coder agrees with our ERC-6492 wrapping', () => {
    const wrapped = wrapErc6492Signature({
      factory,
      factoryCalldata: '0xdeadbeef',
      signature: `0x${'11'.repeat(65)}`,
    });
    const [f, data, inner] = AbiCoder.defaultAbiCoder().decode(
      ['address', 'bytes', 'bytes'],
      `0x${wrapped.slice(2, -64)}`,
    );
    expect([f, data, inner]).toEqual([getAddress(factory), '0xdeadbeef', `0x${'11'.repeat(65)}`]);
  });
});
