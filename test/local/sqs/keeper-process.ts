// A local SQS and its message keeper in a process of their own, for keeper.test.ts to kill -9:
// prints the endpoint once the keeper runs, then serves until it is killed.
import { startLocalSqs } from '../../../local/sqs/index.ts';
import { keepQueuedMessages } from '../../../local/sqs/keeper.ts';

const [file] = process.argv.slice(2);
const sqs = await startLocalSqs();
await sqs.call('CreateQueue', { QueueName: 'bookings' });
keepQueuedMessages({ file, sqs, log: (line) => console.error(line) });
console.log(JSON.stringify({ endpoint: sqs.endpoint }));
