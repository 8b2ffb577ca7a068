/** The routing catalogue (派单目录), its validation, the dispatch decision `evaluateRoute`, and the demo catalogue. */
export * from './routing.types';
export * from './routing-catalogue';
export * from './evaluate-route';
export * from './demo-catalogue';
