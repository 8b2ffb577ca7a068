import express from 'express';
import { METHODS } from 'node:http';
import request from 'supertest';
import { methodNotAllowed } from './method-not-allowed';

describe('methodNotAllowed', () => {
  const app = express();
  app.use(methodNotAllowed(app));
  // What Nest does with middleware applied to every route: a route on a wildcard taking every method by name (and
  // Express's own `all`).
  const pass = (_request: unknown, _response: unknown, next: () => void) => next();
  const everyMethod = app.route('/*splat') as unknown as Record<string, ((handler: typeof pass) => void) | undefined>;
  for (const method of METHODS) everyMethod[method.toLowerCase()]?.(pass);
  app.all('/{*path}', pass);
  app.get('/cases/:caseNo', (_request, response) => void response.json({ ok: true }));
  app.post('/cases/:caseNo/sign', (_request, response) => void response.json({ ok: true }));

  it('should answer 405 with Allow to a known path with another method', async () => {
    const answer = await request(app).delete('/cases/20261123000001').expect(405);
    expect(answer.headers.allow).toBe('GET, HEAD');
    expect(answer.body).toEqual({
      error: 'MethodNotAllowed',
      message: 'DELETE is not a method of /cases/20261123000001; it takes GET, HEAD',
      details: [],
    });
    expect((await request(app).get('/cases/20261123000001/sign').expect(405)).headers.allow).toBe('POST');
  });

  it('should pass a request with a method the path takes, HEAD of a GET route and an unknown path', async () => {
    await request(app).get('/cases/20261123000001').expect(200);
    await request(app).head('/cases/20261123000001').expect(200);
    await request(app).patch('/nowhere').expect(404);
  });
});
