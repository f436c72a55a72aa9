/** Huawei APIG error codes and messages that authz answers with (reference §12.2). */
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
