import type { Application, NextFunction, Request, Response } from 'express';
import { METHODS } from 'node:http';
import { ApiErrorCode } from './api-error';
import type { ApiErrorBody } from './api-error.filter';

/** The parts of an Express 5 router layer this reads: its route's methods and its path matcher. */
interface RouteLayer {
  route?: { methods: Record<string, boolean> };
  match(path: string): unknown;
}

/**
 * Answers 405 MethodNotAllowed, with an `Allow` header listing the methods the path takes, to a request whose path
 * is a route of the API but whose method is none of that route's (RFC 9110 §15.5.6), instead of the router's 404.
 * `OPTIONS` is not answered here (the API serves no CORS); `HEAD` is served wherever `GET` is. Routes are read
 * from the router when the request comes, so every route registered at init counts.
 */
export function methodNotAllowed(express: Application) {
  return (request: Request, response: Response, next: NextFunction): void => {
    if (request.method === 'OPTIONS') return next();
    const stack = (express as unknown as { router?: { stack: RouteLayer[] } }).router?.stack ?? [];
    const allowed = new Set<string>();
    for (const layer of stack) {
      if (!layer.route || !layer.match(request.path)) continue;
      // Nest mounts middleware applied to every route (`forRoutes('*splat')`) as a route taking every method: not an
      // endpoint of the API, which has none that takes every method.
      const { methods: taken } = layer.route;
      if (taken._all || METHODS.every((method) => taken[method.toLowerCase()])) continue;
      const methods = Object.keys(layer.route.methods).map((method) => method.toUpperCase());
      if (methods.includes(request.method)) return next();
      if (request.method === 'HEAD' && methods.includes('GET')) return next();
      methods.forEach((method) => allowed.add(method));
    }
    if (allowed.size === 0) return next();
    if (allowed.has('GET')) allowed.add('HEAD');
    const body: ApiErrorBody = {
      error: ApiErrorCode.MethodNotAllowed,
      message: `${request.method} is not a method of ${request.path}; it takes ${[...allowed].join(', ')}`,
      details: [],
    };
    response.setHeader('Allow', [...allowed].join(', '));
    response.status(405).json(body);
  };
}
