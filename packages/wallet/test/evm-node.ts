/**
 * A real local EVM node for tests: ganache (from npm) serving JSON-RPC over HTTP on a free port,
 * with the wallet contracts of contracts/ (compiled by contracts/compile.mjs) deployed on it.
 */
import { readFileSync } from 'node:fs';
import { ContractFactory, type InterfaceAbi, JsonRpcProvider, type JsonRpcSigner } from 'ethers';
import ganache from 'ganache';

interface Compiled {
  contracts: Record<string, { abi: InterfaceAbi; bytecode: string }>;
}

export const compiled = JSON.parse(
  readFileSync(new URL('../contracts/compiled.json', import.meta.url), 'utf8'),
) as Compiled;

/** The chain id the node runs. */
export const NODE_CHAIN_ID = 1337;

export interface EvmNode {
  url: string;
  provider: JsonRpcProvider;
  deployer: JsonRpcSigner;
  /** Deploys a compiled contract; resolves to its address. */
  deploy(name: string, ...args: unknown[]): Promise<string>;
  stop(): Promise<void>;
}

/** Starts ganache in this process on 127.0.0.1 and a free port. */
export async function startEvmNode(): Promise<EvmNode> {
  const server = ganache.server({
    logging: { quiet: true },
    chain: { chainId: NODE_CHAIN_ID, hardfork: 'shanghai' },
    wallet: { deterministic: true, totalAccounts: 2 },
    miner: { instamine: 'eager' },
  });
  await server.listen(0, '127.0.0.1');
  const address = server.address() as unknown as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const provider = new JsonRpcProvider(url, NODE_CHAIN_ID, { staticNetwork: true, cacheTimeout: -1 });
  const deployer = await provider.getSigner(0);
  return {
    url,
    provider,
    deployer,
    async deploy(name, ...args) {
      const artifact = compiled.contracts[name];
      if (!artifact) throw new Error(`No compiled contract ${name}.`);
      const contract = await new ContractFactory(artifact.abi, artifact.bytecode, deployer).deploy(...args);
      await contract.waitForDeployment();
      return contract.getAddress();
    },
    async stop() {
      provider.destroy();
      await server.close();
    },
  };
}
