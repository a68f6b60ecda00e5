import type { MagicEmulatorFixtures } from './magic/index.js';
import type { PiEmulatorFixtures } from './pi/state.js';
import type { PicketEmulatorFixtures } from './picket/fixtures.js';
import type { ToopherFixtures } from './toopher/state.js';

/**
 * The seeded fixtures of each provider (`emulator.fixtures`): keys, users, wallets. A provider that is
 * not mounted has none.
 */
export interface EmulatorFixtures {
  magic: MagicEmulatorFixtures;
  picket: PicketEmulatorFixtures;
  pi: PiEmulatorFixtures;
  toopher: ToopherFixtures;
  /** The diagnostic echo API has no seeded data. */
  echo: Record<string, never>;
}
