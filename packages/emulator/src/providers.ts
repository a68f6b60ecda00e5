import { echoModule } from './echo.js';
import { evmModule } from './evm/index.js';
import { magicModule } from './magic/index.js';
import { piModule } from './pi/index.js';
import { picketModule } from './picket/index.js';
import { toopherModule } from './toopher/index.js';
import type { ProviderId, ProviderModule } from './types.js';

/** Every provider module the emulator can mount. The provider packages' issues each add theirs. */
export const providerModules: Partial<Record<ProviderId, ProviderModule>> = {
  echo: echoModule,
  evm: evmModule,
  toopher: toopherModule,
  magic: magicModule,
  pi: piModule,
  picket: picketModule,
};
