import type { SFNClientConfig } from '@aws-sdk/client-sfn';
import { LOCAL_REGION } from '../../local/local-environment.js';

/**
 * The client settings for a local runtime's Step Functions API (`npm start`, a LocalRuntime):
 * its endpoint, its region, and fixed credentials, since it checks no signature and a shell or
 * console without AWS credentials must still work.
 */
export function localSfnClientConfig(endpoint: string): SFNClientConfig {
  return {
    endpoint,
    region: LOCAL_REGION,
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  };
}
