export { type StatesServer, type StatesServerOptions, startStatesServer } from './server.js';
