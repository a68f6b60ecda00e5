/**
 * The optional native backend: libsecp256k1 through the `secp256k1` npm package (an optional peer).
 * It is loaded with a dynamic import only when asked for, and only if installed.
 */
import type { RecoveryBackend } from './recover.js';

interface Secp256k1Native {
  ecdsaRecover(signature: Uint8Array, recid: number, message: Uint8Array, compressed: boolean): Uint8Array;
}

// A variable specifier keeps bundlers from resolving (and requiring) the optional peer at build time.
const NATIVE_PACKAGE = 'secp256k1';

let loading: Promise<RecoveryBackend | undefined> | undefined;

/**
 * The native recovery backend, or `undefined` when the `secp256k1` package is not installed (or has
 * no working binary). Loaded once per process. Accepts and rejects exactly what {@link jsRecovery}
 * does: both take r‖s with any s (high-s included) and a recovery id of 0 or 1.
 *
 * Never throws.
 *
 * @example
 * ```ts
 * const admin = createMagicAdmin({ secretKey, recovery: (await loadNativeRecovery()) ?? jsRecovery });
 * ```
 */
export function loadNativeRecovery(): Promise<RecoveryBackend | undefined> {
  loading ??= import(/* @vite-ignore */ NATIVE_PACKAGE).then(
    (module: { default?: Secp256k1Native } & Partial<Secp256k1Native>) => {
      const native = typeof module.ecdsaRecover === 'function' ? (module as Secp256k1Native) : module.default;
      if (!native || typeof native.ecdsaRecover !== 'function') return undefined;
      return {
        name: 'native' as const,
        recoverPublicKey: (signature: Uint8Array, recovery: number, hash: Uint8Array) =>
          native.ecdsaRecover(signature, recovery, hash, false),
      };
    },
    () => undefined,
  );
  return loading;
}
