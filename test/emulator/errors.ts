// API errors as EC2 (and STS) report them: an error code, a message and the HTTP status.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** How STS reports the same condition, when it differs from stsEquivalent's mapping. */
    readonly stsForm?: ApiError,
  ) {
    super(message);
    this.name = code;
  }
}

export const invalidParameterValue = (message: string) => new ApiError(400, 'InvalidParameterValue', message);
export const invalidPaginationToken = (why: string) =>
  new ApiError(400, 'InvalidPaginationToken', `The specified pagination token is not valid or is expired: ${why}`);
export const authFailure = () => new ApiError(401, 'AuthFailure', 'AWS was not able to validate the provided access credentials');
export const requestLimitExceeded = () => new ApiError(503, 'RequestLimitExceeded', 'Request limit exceeded.');
export const internalError = () =>
  new ApiError(500, 'InternalError', 'An internal error has occurred. Retry your request, but if the problem persists, contact us.');
export const dryRunOperation = () => new ApiError(412, 'DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
export const unauthorizedOperation = (principalArn: string, action: string) =>
  new ApiError(
    403,
    'UnauthorizedOperation',
    `You are not authorized to perform this operation. User: ${principalArn} is not authorized to perform: ${action} ` +
      `because no identity-based policy allows the ${action} action`,
  );
/** What EC2 answers for an expired session token (STS says ExpiredToken; see stsEquivalent). */
export const requestExpired = () => new ApiError(400, 'RequestExpired', 'Request has expired.');
export const invalidAction = (action: string) =>
  new ApiError(400, 'InvalidAction', `The action ${action} is not valid for this web service.`);
export const missingAuthenticationToken = () => new ApiError(401, 'MissingAuthenticationToken', 'Request is missing Authentication Token');

/**
 * STS reports the same conditions with its own codes and statuses; this maps an EC2-style error
 * to what STS GetCallerIdentity returns for it.
 */
export function stsEquivalent(error: ApiError): ApiError {
  if (error.stsForm) return error.stsForm;
  switch (error.code) {
    case 'AuthFailure':
      return new ApiError(403, 'InvalidClientTokenId', 'The security token included in the request is invalid.');
    case 'RequestExpired':
      return new ApiError(403, 'ExpiredToken', 'The security token included in the request is expired');
    case 'RequestLimitExceeded':
      return new ApiError(400, 'Throttling', 'Rate exceeded');
    case 'InternalError':
      return new ApiError(500, 'InternalFailure', 'An internal error occurred.');
    case 'UnauthorizedOperation':
      return new ApiError(403, 'AccessDenied', error.message);
    default:
      return error;
  }
}

/** EC2 reports a wrong secret key as a plain AuthFailure; STS as SignatureDoesNotMatch. */
export const signatureDoesNotMatch = () =>
  new ApiError(
    401,
    'AuthFailure',
    'AWS was not able to validate the provided access credentials',
    new ApiError(
      403,
      'SignatureDoesNotMatch',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
    ),
  );
