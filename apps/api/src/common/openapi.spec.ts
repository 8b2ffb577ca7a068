import { Body, Controller, Get, INestApplication, Param, Post } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { ApiProperty, DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { Public, RateLimit, Roles } from '../auth/auth.decorators';
import { ApiErrorBodyDto, documentErrorResponses } from './openapi';

class NoteDto {
  @ApiProperty() note: string;
}

@Controller('open')
@Public()
class OpenController {
  @Get()
  @RateLimit('intake')
  health() {
    return { status: 'ok' };
  }
}

@Controller('things')
@Roles('admin')
class ThingsController {
  @Get(':caseNo')
  one(@Param('caseNo') caseNo: string) {
    return { caseNo };
  }

  @Post()
  create(@Body() body: NoteDto) {
    return body;
  }
}

describe('documentErrorResponses', () => {
  let app: INestApplication;
  let operation: (path: string, method: 'get' | 'post') => OperationObject;

  beforeAll(async () => {
    const module = await Test.createTestingModule({ controllers: [OpenController, ThingsController] }).compile();
    app = module.createNestApplication({ logger: false });
    const document = documentErrorResponses(
      app,
      SwaggerModule.createDocument(
        app,
        new DocumentBuilder().addBearerAuth().addSecurityRequirements('bearer').build(),
        { extraModels: [ApiErrorBodyDto] },
      ),
    );
    operation = (path, method) => document.paths[path][method] as OperationObject;
  });
  afterAll(() => app.close());

  const statuses = (op: OperationObject) => Object.keys(op.responses).sort();

  it('should declare no security on a public route, and the statuses its guards can answer', () => {
    const open = operation('/open', 'get');
    expect(open.security).toEqual([]);
    expect(statuses(open)).toEqual(['200', '401', '429', '503']);
  });

  it('should document 401, 403, 400 and 404 for a guarded route with a path parameter', () => {
    const one = operation('/things/{caseNo}', 'get');
    expect(one.security).toBeUndefined();
    expect(statuses(one)).toEqual(['200', '400', '401', '403', '404', '503']);
    expect(one.parameters).toEqual([
      expect.objectContaining({ name: 'caseNo', schema: expect.objectContaining({ pattern: '^\\d{8}\\d{6,}$' }) }),
    ]);
  });

  it('should document 413 for a body and answer every error status with the one error body', () => {
    const create = operation('/things', 'post');
    expect(statuses(create)).toEqual(['201', '400', '401', '403', '413', '503']);
    for (const status of ['400', '401', '403', '413', '503']) {
      expect(create.responses[status]).toMatchObject({
        content: { 'application/json': { schema: { $ref: '#/components/schemas/ApiErrorBodyDto' } } },
      });
    }
  });
});
