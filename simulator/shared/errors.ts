/**
 * OpenAI's error envelope. The SDK picks its error class from the HTTP status and copies
 * `message`, `type`, `param` and `code` from this body, so the shape must match exactly.
 */
export interface OpenAIErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface ApiError {
  status: number;
  body: OpenAIErrorBody;
  headers?: Record<string, string>;
}

export function apiError(
  status: number,
  message: string,
  type: string,
  param: string | null = null,
  code: string | null = null,
  headers?: Record<string, string>,
): ApiError {
  return { status, body: { error: { message, type, param, code } }, ...(headers ? { headers } : {}) };
}

export const invalidRequest = (message: string, param: string | null = null, code: string | null = null) =>
  apiError(400, message, 'invalid_request_error', param, code);

export const missingApiKey = () =>
  apiError(
    401,
    "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.",
    'invalid_request_error',
  );

export const modelNotFound = (model: string) =>
  apiError(
    404,
    `The model \`${model}\` does not exist or you do not have access to it.`,
    'invalid_request_error',
    null,
    'model_not_found',
  );

export const unparseableJson = () =>
  invalidRequest(
    "We could not parse the JSON body of your request. (HINT: This likely means you aren't using your HTTP library correctly. The OpenAI API expects a JSON payload, but what was sent was not valid JSON.)",
  );

export const insufficientQuota = () =>
  apiError(
    429,
    'You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.',
    'insufficient_quota',
    null,
    'insufficient_quota',
  );

export const serverError = (status: 500 | 502 | 503) => {
  const messages = {
    500: 'The server had an error while processing your request. Sorry about that!',
    502: 'Bad gateway.',
    503: 'The engine is currently overloaded, please try again later.',
  } as const;
  return apiError(status, messages[status], 'server_error');
};

export const notFoundRoute = (method: string, path: string) =>
  apiError(404, `Invalid URL (${method} ${path})`, 'invalid_request_error');
