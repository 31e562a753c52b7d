// SQS errors as the AWS JSON protocol reports them: HTTP status, the `x-amzn-query-error` header
// (`<query code>;Sender`) that @aws-sdk/client-sqs (awsQueryCompatible) maps to its modeled
// exception, and a body `{ "__type", "message" }`. Codes and statuses are those of the SDK's
// service model (node_modules/@aws-sdk/client-sqs/dist-es/schemas/schemas_0.js).

export class SqsError extends Error {
  constructor(
    /** The query-compatible code: what `x-amzn-query-error` carries and batch entries report. */
    public readonly code: string,
    /** The `__type` of the JSON body. */
    public readonly type: string,
    message: string,
    public readonly status = 400,
    public readonly senderFault = true
  ) {
    super(message);
    this.name = 'SqsError';
  }
}

const modeled = (shape: string, code: string, message: string, status = 400): SqsError =>
  new SqsError(code, `com.amazonaws.sqs#${shape}`, message, status);

const coral = (shape: string, code: string, message: string): SqsError => new SqsError(code, `com.amazon.coral.service#${shape}`, message);

export const queueDoesNotExist = (): SqsError =>
  modeled('QueueDoesNotExist', 'AWS.SimpleQueueService.NonExistentQueue', 'The specified queue does not exist.');

export const queueNameExists = (attribute: string): SqsError =>
  modeled(
    'QueueNameExists',
    'QueueAlreadyExists',
    `A queue already exists with the same name and a different value for attribute ${attribute}`
  );

export const queueDeletedRecently = (): SqsError =>
  modeled(
    'QueueDeletedRecently',
    'AWS.SimpleQueueService.QueueDeletedRecently',
    'You must wait 60 seconds after deleting a queue before you can create another with the same name.'
  );

export const invalidAttributeName = (message: string): SqsError => modeled('InvalidAttributeName', 'InvalidAttributeName', message);

export const invalidAttributeValue = (attribute: string): SqsError =>
  modeled('InvalidAttributeValue', 'InvalidAttributeValue', `Invalid value for the parameter ${attribute}.`);

export const receiptHandleIsInvalid = (handle: string): SqsError =>
  modeled('ReceiptHandleIsInvalid', 'ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not valid.`, 404);

export const messageNotInflight = (): SqsError =>
  modeled('MessageNotInflight', 'AWS.SimpleQueueService.MessageNotInflight', "The specified message isn't in flight.");

export const emptyBatchRequest = (entryShape: string): SqsError =>
  modeled('EmptyBatchRequest', 'AWS.SimpleQueueService.EmptyBatchRequest', `There should be at least one ${entryShape} in the request.`);

export const batchEntryIdsNotDistinct = (id: string): SqsError =>
  modeled('BatchEntryIdsNotDistinct', 'AWS.SimpleQueueService.BatchEntryIdsNotDistinct', `Id ${id} repeated.`);

export const invalidBatchEntryId = (): SqsError =>
  modeled(
    'InvalidBatchEntryId',
    'AWS.SimpleQueueService.InvalidBatchEntryId',
    'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.'
  );

export const tooManyEntriesInBatchRequest = (sent: number, max: number): SqsError =>
  modeled(
    'TooManyEntriesInBatchRequest',
    'AWS.SimpleQueueService.TooManyEntriesInBatchRequest',
    `Maximum number of entries per request are ${max}. You have sent ${sent}.`
  );

export const batchRequestTooLong = (max: number, sent: number): SqsError =>
  modeled(
    'BatchRequestTooLong',
    'AWS.SimpleQueueService.BatchRequestTooLong',
    `Batch requests cannot be longer than ${max} bytes. You have sent ${sent} bytes.`
  );

export const purgeQueueInProgress = (queueName: string): SqsError =>
  modeled(
    'PurgeQueueInProgress',
    'AWS.SimpleQueueService.PurgeQueueInProgress',
    `Only one PurgeQueue operation on ${queueName} is allowed every 60 seconds.`,
    403
  );

export const unsupportedOperation = (message: string): SqsError =>
  modeled('UnsupportedOperation', 'AWS.SimpleQueueService.UnsupportedOperation', message);

export const overLimit = (message: string): SqsError => modeled('OverLimit', 'OverLimit', message, 403);

export const invalidMessageContents = (): SqsError =>
  modeled(
    'InvalidMessageContents',
    'InvalidMessageContents',
    'Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF'
  );

export const invalidAddress = (url: string): SqsError =>
  modeled('InvalidAddress', 'InvalidAddress', `The address ${url} is not valid for this endpoint.`, 404);

/** A queue an ARN parameter names does not exist (the message move task actions answer so, not QueueDoesNotExist). */
export const resourceNotFound = (message: string): SqsError => modeled('ResourceNotFoundException', 'ResourceNotFoundException', message, 404);

export const parameterResourceNotFound = (parameter: string): SqsError =>
  resourceNotFound(`The resource that you specified for the ${parameter} parameter doesn't exist.`);

// Errors SQS does not model in its Smithy shapes: the SDK surfaces them as SQSServiceException
// named after the query code.
export const invalidParameterValue = (message: string): SqsError =>
  coral('InvalidParameterValueException', 'InvalidParameterValue', message);

/** A move-task number out of its range. [message UNCONFIRMED against AWS: local-sqs's wording] */
export const numberOutOfRange = (parameter: string, max: number): SqsError =>
  invalidParameterValue(`Value for parameter ${parameter} is invalid. Reason: You must enter a number that's between 1 and ${max}.`);

export const missingParameter = (parameter: string): SqsError =>
  coral('MissingRequiredParameterException', 'MissingParameter', `The request must contain the parameter ${parameter}.`);

export const malformedInput = (message: string): SqsError => coral('SerializationException', 'MalformedInput', message);

export const invalidAction = (action: string): SqsError =>
  coral('UnknownOperationException', 'InvalidAction', `The action ${action} is not valid for this web service.`);
