import type { OpenAPIObject } from '@nestjs/swagger';
import { problemContent } from '../common/http';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/**
 * Any route can end in the ProblemFilter's bare 500, so every operation documents it; the
 * controllers declare their specific 4xx/503 answers themselves.
 */
export function addInternalErrorResponses(document: OpenAPIObject): void {
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = path[method];
      if (!operation || operation.responses['500']) continue;
      operation.responses['500'] = {
        description: 'Unexpected error (no details are leaked)',
        content: problemContent(500),
      };
    }
  }
}
