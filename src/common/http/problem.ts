import { FieldError } from '../errors';

/** RFC 9457 problem details, as every error of this service is answered. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  errors: FieldError[];
  correlationId: string;
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export function problemType(code: string): string {
  return `urn:avvyr:problem:${code.toLowerCase().replace(/_/g, '-')}`;
}
