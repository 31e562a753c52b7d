// The local AppSync's auth modes: API key, Cognito user pool (local), IAM (SigV4).
export { createAuth, normalizeHeaders, type Auth, type AuthOptions, type AuthOutcome, type AuthRequest, type AuthSuccess } from './create-auth.ts';
export { authFailureBody, type AuthFailure } from './errors.ts';
export { generateApiKey, loadOrCreateApiKey, DEFAULT_API_KEY_TTL_SECONDS, type ApiKey } from './api-key.ts';
export { localIamPrincipal, verifySigV4, type IamPrincipal, type SignedRequest } from './iam.ts';
export {
  FOREIGN_TOKEN_HINT,
  openLocalUserPool,
  localSub,
  tokenRequestProblem,
  LOCAL_ISSUER,
  LOCAL_USER_POOL_ID,
  LOCAL_USER_POOL_CLIENT_ID,
  DEFAULT_TOKEN_TTL_SECONDS,
  type LocalUserPool,
  type IssuedTokens,
  type IssueTokenRequest,
} from './user-pool.ts';
export { createLocalAuth, type LocalAuth } from './local.ts';
