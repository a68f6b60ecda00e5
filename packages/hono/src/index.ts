export {
  type AuthbridgeEnv,
  authbridge,
  type HonoAuthbridge,
  type HonoAuthbridgeOptions,
} from './authbridge.js';
