import { Logger } from '@aws-lambda-powertools/logger';

/** Structured JSON logs; the service name tells the handlers apart in CloudWatch Logs Insights. */
export function createLogger(serviceName: string): Logger {
  return new Logger({ serviceName });
}
