// Structured JSON logs (Powertools); the level comes from POWERTOOLS_LOG_LEVEL (default INFO).
// Log ids and statuses, never payloads with secrets or credentials.
import { Logger } from '@aws-lambda-powertools/logger';

export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}
