/** The package version, reported as the tracer's version. */
export const VERSION = '0.1.0';
