import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { bytesToHex, hexToBytes } from '@authbridge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { codeOf } from '../test/code-of.js';
import {
  createEvmRpc,
  type EvmRpc,
  encodeIsValidSignature,
  hashPersonalMessage,
  recoverDigestSigner,
  signatureBytes,
  verifyEvmSignature,
} from './index.js';

type Handler = (body: { id: number; method: string; params: unknown[] }, res: ServerResponse) => void;

describe('createEvmRpc over a real local HTTP server', () => {
  let server: Server;
  let url: string;
  let handler: Handler = () => {};
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res) => {
      seen.push(req.url ?? '');
      let text = '';
      req.on('data', (chunk) => {
        text += chunk;
      });
      req.on('end', () => handler(JSON.parse(text), res));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const json = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(typeof body === 'string' ? body : JSON.stringify(body));
  };

  it('sends eth_call at latest to the URL path, and returns the data', async () => {
    handler = (body, res) => {
      expect(body.method).toBe('eth_call');
      expect(body.params).toEqual([
        { to: '0x00000000000000000000000000000000000000aa', data: '0x1234' },
        'latest',
      ]);
      json(res, 200, { jsonrpc: '2.0', id: body.id, result: '0xabcd' });
    };
    const rpc = createEvmRpc({ url: `${url}/v2/secret-api-key-123` });
    expect(await rpc.call({ to: '0x00000000000000000000000000000000000000aa', data: '0x1234' })).toEqual({
      reverted: false,
      data: '0xabcd',
    });
    expect(seen.at(-1)).toBe('/v2/secret-api-key-123');
  });

  it('a revert is an answer; other JSON-RPC errors, wrong ids and non-JSON fail closed', async () => {
    const rpc = createEvmRpc({ url });
    handler = (body, res) =>
      json(res, 200, { jsonrpc: '2.0', id: body.id, error: { code: 3, message: 'execution reverted' } });
    expect(await rpc.call({ data: '0x' })).toEqual({ reverted: true });
    handler = (body, res) =>
      json(res, 200, {
        jsonrpc: '2.0',
        id: body.id,
        error: { code: -32000, message: 'VM Exception while processing transaction: revert' },
      });
    expect(await rpc.call({ data: '0x' })).toEqual({ reverted: true });
    handler = (body, res) =>
      json(res, 200, { jsonrpc: '2.0', id: body.id, error: { code: -32601, message: 'method not found' } });
    expect(await codeOf(rpc.call({ data: '0x' }))).toBe('ERR_UNEXPECTED_RESPONSE');
    handler = (body, res) => json(res, 200, { jsonrpc: '2.0', id: body.id + 1, result: '0x01' });
    expect(await codeOf(rpc.call({ data: '0x' }))).toBe('ERR_UNEXPECTED_RESPONSE');
    handler = (_body, res) => json(res, 200, 'not json');
    expect(await codeOf(rpc.call({ data: '0x' }))).toBe('ERR_UNEXPECTED_RESPONSE');
    handler = (body, res) => json(res, 200, { jsonrpc: '2.0', id: body.id, result: 'nothex' });
    expect(await codeOf(rpc.call({ data: '0x' }))).toBe('ERR_UNEXPECTED_RESPONSE');
  });

  it('HTTP errors and timeouts are typed, and the URL path (an API key) is not in the error', async () => {
    const rpc = createEvmRpc({ url: `${url}/v2/secret-api-key-123`, timeout: 200 });
    handler = (_body, res) => json(res, 503, { error: 'busy' });
    const error = await rpc.call({ data: '0x' }).catch((e: unknown) => e);
    expect((error as { code: string }).code).toBe('ERR_PROVIDER_SERVER');
    expect(`${(error as Error).message} ${JSON.stringify(error)}`).not.toContain('secret-api-key-123');
    handler = () => {};
    expect(await codeOf(rpc.call({ data: '0x' }))).toBe('ERR_TIMEOUT');
  });
});

describe('spec S-11 contract-wallet vectors (mainnet wallets; isValidSignature answered by a stub node)', () => {
  const argent = {
    address: '0xa5b3A53800cD49669F34DE80f2C569c6D4Ca3009',
    message:
      'localhost:4361 wants you to sign in with your Ethereum account:\n0xa5b3A53800cD49669F34DE80f2C569c6D4Ca3009\n\nSIWE Notepad Example\n\nURI: http://localhost:4361\nVersion: 1\nChain ID: 1\nNonce: FbYd6TNB4m0IUHDG7\nIssued At: 2022-04-19T18:55:04.444Z',
    signature:
      '0x00193f8bb87a8bd4a8367a47ee477c62aec984830ec59e730b28d1ec54669eab450b9f3108a5c435648691c5766b35e2f13b8fb29f46298bb378ac34597d7e271c',
    digest: '13f64d354be469f23cf911231c7acf0b0faf781fbdef0eb1c463bdec229faf0b',
  };
  const loopring = {
    address: '0x0e565A6dFc43DE21455a67bbF196f7F7b15447A7',
    message:
      'localhost:4361 wants you to sign in with your Ethereum account:\n0x0e565A6dFc43DE21455a67bbF196f7F7b15447A7\n\nSIWE Notepad Example\n\nURI: http://localhost:4361\nVersion: 1\nChain ID: 1\nNonce: b19JyMHnM0Jdm20as\nIssued At: 2022-04-19T18:57:09.490Z',
    signature:
      '0x2f280385ebd550309197c4c892c5a8eb1a6e743d5c90c8036dea6f05c3e8cb321f90210a567ee88461733731a9c4e177140a969784c0421c09897e161f17bf331c02',
    digest: '1cb5137dfd79c082e5432187049328771de47a6e1c0e29cebaae186f3e1f7645',
  };
  /** A node whose only contract says yes to exactly one (wallet, calldata) pair. */
  const stub = (wallet: { address: string; signature: string; digest: string }): EvmRpc => ({
    async call({ to, data }) {
      const expected = encodeIsValidSignature(hexToBytes(wallet.digest), signatureBytes(wallet.signature));
      return to === wallet.address && data === expected
        ? { reverted: false, data: `0x1626ba7e${'0'.repeat(56)}` }
        : { reverted: true };
    },
  });

  it('argent: recovery gives another address, the contract decides', async () => {
    expect(bytesToHex(hashPersonalMessage(argent.message))).toBe(argent.digest);
    expect(recoverDigestSigner(hashPersonalMessage(argent.message), signatureBytes(argent.signature))).toBe(
      '0x41784C6F131d3b6611E09b45e69E09279ab31348',
    );
    expect(await verifyEvmSignature({ ...argent, rpc: stub(argent) })).toBe('eip1271');
    expect(await codeOf(verifyEvmSignature(argent))).toBe('ERR_CREDENTIAL_SIGNATURE');
  });

  it('loopring: a 66-byte signature cannot be recovered, the contract decides', async () => {
    expect(bytesToHex(hashPersonalMessage(loopring.message))).toBe(loopring.digest);
    expect(signatureBytes(loopring.signature)).toHaveLength(66);
    expect(await verifyEvmSignature({ ...loopring, rpc: stub(loopring) })).toBe('eip1271');
    expect(await codeOf(verifyEvmSignature({ ...loopring, rpc: stub(argent) }))).toBe(
      'ERR_CREDENTIAL_SIGNATURE',
    );
  });
});
