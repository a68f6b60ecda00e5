// The cross-process nonce race needs a redis-server: the one the redis package's setup starts.
export { default } from '../../redis/test/global-setup.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The URL of the throwaway redis-server this run started. */
    redisUrl: string;
  }
}
