/**
 * Simple authentication (reference §2): `X-Apig-AppCode: <code>` instead of a signature, on Apis
 * that enable it, over HTTPS only. Pure: the App lookup is an input.
 */
import { appAuthFailure, type Denial } from './errors';

export const APP_CODE_HEADER = 'x-apig-appcode';

export type AppCodeResult<App> = { readonly ok: true; readonly app: App } | { readonly ok: false; readonly denial: Denial };

export interface AppCodeInput {
  /** The X-Apig-AppCode value. */
  readonly code: string;
  /** The Api accepts AppCodes. */
  readonly enabled: boolean;
  /** The caller's connection is TLS. */
  readonly tls: boolean;
}

export function verifyAppCode<App>(input: AppCodeInput, appByCode: (code: string) => App | undefined): AppCodeResult<App> {
  if (!input.enabled) return { ok: false, denial: appAuthFailure('app code authentication is not enabled for this API, sign the request') };
  if (!input.tls) return { ok: false, denial: appAuthFailure('app code authentication is only supported over HTTPS') };
  const app = appByCode(input.code.trim());
  if (app === undefined) return { ok: false, denial: appAuthFailure('app code not found') };
  return { ok: true, app };
}
