export * from './actor.js';
export * from './callbacks.js';
export * from './inquiry.js';
export * from './stages.js';
export * from './task-io.js';
