import { packageBuild } from '../../tsup.shared.ts';

// token-ownership is its own entry so the validation path never loads ethers.
export default packageBuild(['src/index.ts', 'src/token-ownership.ts']);
