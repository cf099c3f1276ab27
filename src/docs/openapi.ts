import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { ProblemDocument } from '../common/http';
import { AvasamSettingsInput } from '../modules/avasam';
import { inboundRequestSchemas } from '../modules/inbound';
import { addInternalErrorResponses } from './problem-fallback';
import { tightenRequestSchemas } from './request-schemas';

/** Swagger UI at /docs, the document at /docs/openapi.json and /docs/openapi.yaml. */
export function setupOpenApi(app: NestFastifyApplication): void {
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
    swaggerOptions: { persistAuthorization: true, displayRequestDuration: true },
  });
}

export function buildOpenApiDocument(app: NestFastifyApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('avvyr-integrations')
    .setDescription(
      'Push inventory, orders, products, prices and customers into Avvyr; receive Avasam webhooks; manage integrations and track events. ' +
        'Every error is RFC 9457 `application/problem+json` (schema `Problem`).',
    )
    .setVersion('1.0')
    // Relative: "Try it out" calls whichever origin the docs were opened on.
    .addServer('/', 'This service')
    .addBearerAuth(
      { type: 'http', scheme: 'bearer', description: 'Integration API key (avvyr_int_live_…)' },
      'integrationApiKey',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'Management token (JWT HS256)',
      },
      'managementToken',
    )
    .build();
  const document = SwaggerModule.createDocument(app, config, {
    extraModels: [ProblemDocument, AvasamSettingsInput],
  });
  document.components ??= {};
  // The per-action envelopes the inbound body's oneOf/discriminator points at.
  document.components.schemas = { ...document.components.schemas, ...inboundRequestSchemas() };
  tightenRequestSchemas(document);
  addInternalErrorResponses(document);
  return document;
}
