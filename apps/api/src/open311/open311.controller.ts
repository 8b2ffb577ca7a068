import { Body, Controller, Get, HttpStatus, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Public, RateLimit } from '../auth/auth.decorators';
import { Open311Error, Open311ErrorFilter } from './open311.errors';
import { OPEN311_FORMATS, Open311Document, Open311Format, render } from './open311.format';
import { Open311IntakeService } from './open311-intake.service';
import { Open311Service, RequestQuery } from './open311.service';

/** Query parameters every method takes; the rest are each method's own. */
type Open311Query = Record<string, unknown> & { jurisdiction_id?: unknown };

/**
 * Open311 GeoReport v2 at `/open311/v2`, with FixMyStreet's `servicerequestupdates`: resources are
 * `<resource>.<format>`, `xml` or `json`, and refusals are the specification's error lists
 * ({@link Open311ErrorFilter}). Reading is open to anyone (anonymous callers share the intake rate limit per
 * address); filing needs an `api_key`. Kept out of the API's OpenAPI document: GeoReport v2 is its own
 * specification, and its discovery document (`discovery.xml`) is what clients read (docs/open311.md).
 */
@ApiExcludeController()
@Public()
@UseFilters(Open311ErrorFilter)
@Controller('open311/v2')
export class Open311Controller {
  constructor(
    private readonly reads: Open311Service,
    private readonly intake: Open311IntakeService,
  ) {}

  @Get('discovery.:format')
  @RateLimit('intake')
  async discovery(@Param('format') format: string, @Req() request: Request, @Res() response: Response) {
    const base = `${request.protocol}://${request.get('host') ?? 'localhost'}/open311/v2`;
    send(response, formatOf(format), { root: 'discovery', body: await this.reads.discovery(base) });
  }

  @Get('services.:format')
  @RateLimit('intake')
  async services(@Param('format') format: string, @Query() query: Open311Query, @Res() response: Response) {
    const fmt = formatOf(format);
    send(response, fmt, { root: 'services', body: await this.reads.services(text(query, 'jurisdiction_id')) });
  }

  @Get('services/:code.:format')
  @RateLimit('intake')
  async service(
    @Param('code') code: string,
    @Param('format') format: string,
    @Query() query: Open311Query,
    @Res() response: Response,
  ) {
    const fmt = formatOf(format);
    const definition = await this.reads.serviceDefinition(text(query, 'jurisdiction_id'), code);
    send(response, fmt, { root: 'service_definition', body: definition });
  }

  @Post('requests.:format')
  async file(@Param('format') format: string, @Body() body: unknown, @Res() response: Response) {
    const fmt = formatOf(format);
    const filed = await this.intake.file(body);
    send(response, fmt, { root: 'service_requests', body: [filed.answer] });
  }

  @Get('tokens/:token.:format')
  @RateLimit('intake')
  async token(
    @Param('token') token: string,
    @Param('format') format: string,
    @Query() query: Open311Query,
    @Res() response: Response,
  ) {
    const fmt = formatOf(format);
    const request = await this.reads.token(text(query, 'jurisdiction_id'), token);
    send(response, fmt, { root: 'service_requests', body: [request] });
  }

  @Get('requests.:format')
  @RateLimit('intake')
  async requests(@Param('format') format: string, @Query() query: Open311Query, @Res() response: Response) {
    const fmt = formatOf(format);
    const filters: RequestQuery = {
      service_request_id: text(query, 'service_request_id'),
      service_code: text(query, 'service_code'),
      start_date: text(query, 'start_date'),
      end_date: text(query, 'end_date'),
      status: text(query, 'status'),
    };
    checkQuery(query, ['jurisdiction_id', ...Object.keys(filters)]);
    const requests = await this.reads.requests(text(query, 'jurisdiction_id'), filters);
    send(response, fmt, { root: 'service_requests', body: requests });
  }

  @Get('requests/:id.:format')
  @RateLimit('intake')
  async request(
    @Param('id') id: string,
    @Param('format') format: string,
    @Query() query: Open311Query,
    @Res() response: Response,
  ) {
    const fmt = formatOf(format);
    const request = await this.reads.request(text(query, 'jurisdiction_id'), id);
    send(response, fmt, { root: 'service_requests', body: [request] });
  }

  @Get('servicerequestupdates.:format')
  @RateLimit('intake')
  async updates(@Param('format') format: string, @Query() query: Open311Query, @Res() response: Response) {
    const fmt = formatOf(format);
    checkQuery(query, ['jurisdiction_id', 'start_date', 'end_date', 'api_key']);
    const updates = await this.reads.updates(
      text(query, 'jurisdiction_id'),
      text(query, 'start_date'),
      text(query, 'end_date'),
    );
    send(response, fmt, { root: 'service_request_updates', body: updates });
  }
}

/** The format a resource was asked in. @throws Open311Error 404: no resource has another extension. */
function formatOf(format: string): Open311Format {
  if (!(OPEN311_FORMATS as readonly string[]).includes(format)) {
    throw Open311Error.notFound(`.${format}: no such format; resources are served as .xml and .json`);
  }
  return format as Open311Format;
}

/** A query parameter as text; sent twice (a list) is refused, as GeoReport lists are comma-separated. */
function text(query: Open311Query, name: string): string | undefined {
  const value = query[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw Open311Error.badRequest(`${name}: send it once; lists are comma-separated`);
  return value;
}

function checkQuery(query: Open311Query, known: string[]): void {
  const unknown = Object.keys(query).filter((key) => !known.includes(key));
  if (unknown.length > 0) {
    throw Open311Error.badRequest(...unknown.map((key) => `${key}: not a parameter of this method`));
  }
}

function send(response: Response, format: Open311Format, document: Open311Document, status = HttpStatus.OK): void {
  const { contentType, text: body } = render(document, format);
  response.status(status).setHeader('Content-Type', contentType);
  response.send(body);
}
