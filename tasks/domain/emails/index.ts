export * from './buyer.js';
export * from './deal.js';
export * from './format.js';
export * from './staff.js';
