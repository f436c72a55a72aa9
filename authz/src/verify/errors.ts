/** Huawei APIG error codes and messages that authz answers with (reference §1.7, §12.2). */
export interface Denial {
  readonly status: 401 | 403 | 405 | 500;
  readonly code: string;
  readonly message: string;
}

export const appAuthFailure = (detail: string): Denial => ({
  status: 401,
  code: 'APIG.0303',
  message: `Incorrect app authentication information: ${detail}`,
});

export const APP_NOT_AUTHORIZED: Denial = {
  status: 403,
  code: 'APIG.0304',
  message: 'The app is not authorized to access the API.',
};

/** The backend request could not be signed (e.g. its SignatureKey is not usable). */
export const BACKEND_SIGNING_FAILED: Denial = {
  status: 500,
  code: 'APIG.0705',
  message: 'Backend signature calculation failed.',
};

/** Huawei's error body (reference §12.1): what callers and their SDKs parse. */
export function denialBody(denial: Denial, requestId: string): string {
  return JSON.stringify({ error_code: denial.code, error_msg: denial.message, request_id: requestId });
}
