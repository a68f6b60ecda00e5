import { packageBuild } from '../../tsup.shared.ts';

// The emulator is Node-only by design, so it builds with its Node tsconfig.
export default packageBuild(['src/index.ts', 'src/cli.ts'], { tsconfig: 'tsconfig.json' });
