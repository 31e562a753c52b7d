// A function's environment as Lambda builds it: the shared local settings (region, endpoints,
// credentials), the function's own variables from the wiring, then the variables Lambda reserves.
import type { FunctionWiring } from '../../infra/wiring.ts';

/** Keys Lambda refuses in a function's configuration because the runtime sets them. */
const RESERVED = /^(_HANDLER|_X_AMZN_TRACE_ID|AWS_REGION|AWS_DEFAULT_REGION|AWS_EXECUTION_ENV|AWS_LAMBDA_.+|AWS_ACCESS_KEY|AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|AWS_SESSION_TOKEN|LAMBDA_TASK_ROOT|LAMBDA_RUNTIME_DIR|TZ)$/;

export function functionEnvironment(options: {
  name: string;
  wiring: FunctionWiring;
  region: string;
  taskRoot: string;
  shared: Record<string, string>;
  own: Record<string, string>;
}): Record<string, string> {
  const { name, wiring, region, taskRoot, shared, own } = options;
  const reservedUsed = Object.keys(own).filter((key) => RESERVED.test(key));
  if (reservedUsed.length > 0) {
    throw new Error(
      `${name}: Lambda was unable to configure your environment variables because the environment variables you have provided contains reserved keys that are currently not supported for modification. Reserved keys used in this request: ${reservedUsed.join(', ')}`,
    );
  }
  const missing = Object.keys(wiring.environment).filter((key) => typeof own[key] !== 'string');
  if (missing.length > 0) throw new Error(`${name}: no resolved value for environment variable(s) ${missing.join(', ')}`);
  return {
    ...shared,
    ...own,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
    AWS_LAMBDA_FUNCTION_NAME: name,
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(wiring.memoryMb),
    AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${name}`,
    AWS_LAMBDA_INITIALIZATION_TYPE: 'on-demand',
    LAMBDA_TASK_ROOT: taskRoot,
    _HANDLER: `${name}.handler`,
    // Lambda's environments run in UTC. Date's zone is the process's, not a worker's, so
    // `slotsync start` runs the whole server in UTC as well.
    TZ: ':UTC',
    // The deployed runtime is Node.js 22; the SDK's "upgrade from Node.js 20" notice is about this
    // host, not the function, and would only bury the function's own logs.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}
