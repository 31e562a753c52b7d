import type { Action } from '../action.ts';
import { queueOf } from '../input.ts';
import { sendOne } from '../send.ts';

export const sendMessage: Action = (input, context) => sendOne(queueOf(input, context.registry), input, context);
