export { authbridge, type ExpressAuthbridge } from './authbridge.js';
export { sendWebResponse, toWebRequest } from './node-fetch.js';
