export { ATTRIBUTES, INSTRUMENTATION_NAME, type TracedOperation, type TracingOptions } from './attributes.js';
export { combineHooks, createTracingHooks, type TracingHooksOptions } from './http-hooks.js';
export { type InstrumentOptions, instrument, instrumentAuth } from './instrument.js';
export { VERSION } from './version.js';
