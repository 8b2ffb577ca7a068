import { QueryFailedError } from 'typeorm';
import { ApiErrorCode } from './api-error';
import { toErrorBody } from './api-error.filter';
import { isDatabaseUnavailable } from './database-unavailable';

const withCode = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('isDatabaseUnavailable', () => {
  it.each([
    ['a refused connection', withCode('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')],
    ['an admin shutdown (57P01)', withCode('terminating connection due to administrator command', '57P01')],
    ['a server starting up (57P03)', withCode('the database system is starting up', '57P03')],
    ['a connection exception (08006)', withCode('connection failure', '08006')],
    ['too many connections (53300)', withCode('sorry, too many clients already', '53300')],
    ['a connection cut mid-query', new Error('Connection terminated unexpectedly')],
    ['a pool timeout', new Error('timeout exceeded when trying to connect')],
    [
      "TypeORM's QueryFailedError around an admin shutdown",
      new QueryFailedError('SELECT 1', [], withCode('terminating connection', '57P01')),
    ],
    ['an AggregateError of refused addresses', new AggregateError([withCode('connect', 'ECONNREFUSED')], 'connect')],
  ])('should see %s as PostgreSQL out of reach', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(true);
  });

  it.each([
    ['a unique violation', new QueryFailedError('INSERT', [], withCode('duplicate key', '23505'))],
    ['a NUL in text (22021)', withCode('invalid byte sequence for encoding "UTF8": 0x00', '22021')],
    ['a plain bug', new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a string', 'ECONNREFUSED'],
  ])('should not see %s as an outage', (_, error) => {
    expect(isDatabaseUnavailable(error)).toBe(false);
  });
});

describe('toErrorBody for PostgreSQL out of reach', () => {
  it('should answer 503 DatabaseUnavailable, not 500', () => {
    const [status, body] = toErrorBody(withCode('connect ECONNREFUSED 127.0.0.1:1', 'ECONNREFUSED'));
    expect(status).toBe(503);
    expect(body).toEqual({ error: ApiErrorCode.DatabaseUnavailable, message: expect.any(String), details: [] });
  });
});
