import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { Env } from '../config/env';

/** Swagger UI at /docs, the document at /docs/openapi.json. */
export function setupOpenApi(app: NestFastifyApplication, env: Env): void {
  const config = new DocumentBuilder()
    .setTitle('avvyr-integrations')
    .setDescription(
      'Push inventory, orders, products, prices and customers into Avvyr; receive Avasam webhooks; manage integrations and track events.',
    )
    .setVersion('1.0')
    .addServer(env.publicBaseUrl)
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
  const document = SwaggerModule.createDocument(app, config);
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs/openapi.json',
    yamlDocumentUrl: 'docs/openapi.yaml',
  });
}
