// The local server's auth, from the wiring: Cognito user pools (default), API key and IAM
// (additional), with the signing key and API key kept in the state directory.
import { api } from '../../../infra/wiring.ts';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '../../dynamodb/client.ts';
import { loadOrCreateApiKey, type ApiKey } from './api-key.ts';
import { createAuth, type Auth } from './create-auth.ts';
import { localIamPrincipal } from './iam.ts';
import { openLocalUserPool, type LocalUserPool } from './user-pool.ts';

export interface LocalAuth {
  auth: Auth;
  userPool: LocalUserPool;
  apiKey: ApiKey;
}

export async function createLocalAuth(stateDir: string): Promise<LocalAuth> {
  const userPool = await openLocalUserPool(stateDir);
  const apiKey = loadOrCreateApiKey(stateDir);
  const auth = createAuth({
    defaultMode: api.defaultAuth,
    additionalModes: api.additionalAuth,
    apiKeys: [apiKey],
    userPool,
    iamPrincipals: [localIamPrincipal(LOCAL_CREDENTIALS)],
    region: LOCAL_REGION,
  });
  return { auth, userPool, apiKey };
}
