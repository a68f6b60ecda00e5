/**
 * The optional native backend: libsecp256k1 through the `secp256k1` npm package (an optional peer).
 * It is loaded with a dynamic import only when asked for, and only if installed.
 */
import type { RecoveryBackend } from './recover.js';

interface Secp256k1Native {
  ecdsaRecover(signature: Uint8Array, recid: number, message: Uint8Array, compressed: boolean): Uint8Array;
}

// The package's `index.js` silently falls back to its `elliptic` JS build when no binary loads, so
// importing the package proves nothing. Its `bindings.js` loads the compiled addon (a prebuild or a
// local build, through node-gyp-build) or throws: only that one is native. A variable specifier
// keeps bundlers from resolving (and requiring) the optional peer at build time.
const NATIVE_BINDING = 'secp256k1/bindings.js';

let loading: Promise<RecoveryBackend | undefined> | undefined;

/**
 * The native recovery backend, or `undefined` when the `secp256k1` package is not installed or its
 * compiled libsecp256k1 binding does not load here (the package's own `elliptic` fallback is never
 * used: it is slower than {@link jsRecovery}, and it is not native). Loaded once per process.
 * Accepts and rejects exactly what {@link jsRecovery} does: both take r‖s with any s (high-s
 * included) and a recovery id of 0 or 1.
 *
 * Never throws.
 *
 * @example
 * ```ts
 * const native = await loadNativeRecovery();
 * console.log(native ? 'libsecp256k1' : 'pure JS');
 * const admin = createMagicAdmin({ secretKey, recovery: native ?? jsRecovery });
 * ```
 */
export function loadNativeRecovery(): Promise<RecoveryBackend | undefined> {
  loading ??= import(/* @vite-ignore */ NATIVE_BINDING).then(
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
