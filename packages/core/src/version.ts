/** This package's version; `scripts/check-packages.mjs` keeps it equal to package.json. */
export const VERSION = '0.1.0';
