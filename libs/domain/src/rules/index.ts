/**
 * Process definitions as data: the document type and its JSON Schema, validation that reports every error at once,
 * a structured diff, the mapping onto the lifecycle's rules, and the presets shipped with the product.
 */
export * from './process-definition';
export * from './process-definition.schema';
export * from './validate-definition';
export * from './diff-definitions';
export * from './presets';
