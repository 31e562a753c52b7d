// AppSync's real-time protocol messages (subprotocol `graphql-ws`, APPSYNC-NOTES §5).

export interface ProtocolError {
  errorType?: string;
  message: string;
  errorCode?: number;
}

export const connectionAck = (connectionTimeoutMs: number) => ({ type: 'connection_ack', payload: { connectionTimeoutMs } });
export const keepAlive = { type: 'ka' } as const;
export const startAck = (id: string) => ({ type: 'start_ack', id });
export const complete = (id: string) => ({ type: 'complete', id });
export const data = (id: string, payload: unknown) => ({ type: 'data', id, payload });
export const errorMessage = (id: string | undefined, errors: ProtocolError[]) =>
  id === undefined ? { type: 'error', payload: { errors } } : { type: 'error', id, payload: { errors } };
export const connectionError = (errors: ProtocolError[]) => ({ type: 'connection_error', payload: { errors } });

/** As observed from AppSync (gql-python's mock, amplify-android#1392): errorCode 400, not 401. */
export const UNAUTHORIZED_CONNECTION: ProtocolError = {
  errorType: 'com.amazonaws.deepdish.graphql.auth#UnauthorizedException',
  message: 'You are not authorized to make this call.',
  errorCode: 400,
};

export type ClientMessage =
  | { type: 'connection_init' }
  | { type: 'start'; id: string; data: string; authorization: Record<string, string> }
  | { type: 'stop'; id: string };

export const MAX_SUBSCRIPTION_ID_CHARS = 128;

/** Parses one client frame; a string is the reason the frame is unusable. */
export function parseClientMessage(raw: string): ClientMessage | string {
  let msg: unknown;
  try {
    msg = JSON.parse(raw);
  } catch {
    return 'Message is not valid JSON';
  }
  if (!msg || typeof msg !== 'object') return 'Message must be a JSON object';
  const m = msg as Record<string, unknown>;
  switch (m.type) {
    case 'connection_init':
      return { type: 'connection_init' };
    case 'stop':
      if (typeof m.id !== 'string' || m.id.length === 0) return 'stop needs an id';
      return { type: 'stop', id: m.id };
    case 'start': {
      if (typeof m.id !== 'string' || m.id.length === 0 || m.id.length > MAX_SUBSCRIPTION_ID_CHARS) {
        return `start needs an id of 1 to ${MAX_SUBSCRIPTION_ID_CHARS} characters`;
      }
      const payload = m.payload as Record<string, unknown> | undefined;
      if (!payload || typeof payload.data !== 'string') return 'start needs payload.data, the JSON text of {query, variables}';
      const extensions = payload.extensions as Record<string, unknown> | undefined;
      const authorization = extensions?.authorization;
      if (!authorization || typeof authorization !== 'object') return 'start needs payload.extensions.authorization';
      return { type: 'start', id: m.id, data: payload.data, authorization: stringValues(authorization as Record<string, unknown>) };
    }
    default:
      return `Unknown message type ${JSON.stringify(m.type)}`;
  }
}

function stringValues(obj: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (typeof v === 'string') out[k] = v;
  }
  return out;
}
