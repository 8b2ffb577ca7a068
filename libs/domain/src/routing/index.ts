/**
 * The routing catalogue (派单目录), its validation and the dispatch decision `evaluateRoute`. The demo catalogue is
 * seed data: import it from `./demo-catalogue` (seeds, fixtures and tests only; lint keeps it so).
 */
export * from './routing.types';
export * from './routing-catalogue';
export * from './evaluate-route';
