/**
 * Pure domain code shared by the API, the worker and the workflows: no I/O, no Node built-ins, no clocks
 * (every function that needs "now" takes it as an argument).
 */
export * from './calendar';
export * from './case';
export * from './org';
export * from './routing';
export * from './intake';
export * from './lifecycle';
export * from './whistle';
export * from './rules';
// Scores are imported from './scores' directly: its ScoringPolicy is the computation's, rules' the document's.
