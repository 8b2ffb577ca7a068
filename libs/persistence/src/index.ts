export * from './data-source';
export * from './entities/case.entity';
export * from './entities/intake-request.entity';
