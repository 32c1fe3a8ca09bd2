export * from './buyer.js';
export * from './format.js';
export * from './staff.js';
