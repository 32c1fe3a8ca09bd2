export * from './actor.js';
export * from './callbacks.js';
export * from './inquiry.js';
export * from './lifecycle.js';
export * from './permissions.js';
export * from './stage-registry.js';
export * from './task-io.js';
export * from './workflow-errors.js';
