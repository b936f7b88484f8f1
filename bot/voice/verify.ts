/**
 * Checks that a request really comes from Alexa. Amazon signs each request: the `SignatureCertChainUrl`
 * header names a certificate chain on s3.amazonaws.com and `Signature-256` holds the base64 RSA-SHA256
 * signature of the raw body. Verifying needs fetching and validating that chain (network), so it is
 * pluggable: pass a verifier in production (e.g. the `ask-sdk-express-adapter` SkillRequestSignatureVerifier,
 * or your own); tests pass `'skip'` explicitly. The timestamp and skill id are always checked here.
 */
export type AlexaVerifier = (request: { rawBody: string; headers: Record<string, string | undefined> }) => Promise<boolean>;

export interface AlexaOptions {
  /** The skill id (amzn1.ask.skill.…); requests for another skill are refused. Unset: any. */
  skillId?: string;
  /** The signature check, or `'skip'` (tests, or a proxy that already verified). Required. */
  verify: AlexaVerifier | 'skip';
  /** Allowed clock skew of the request timestamp (Alexa requires at most 150 s). */
  toleranceSeconds?: number;
}

/** Null when the request may be served; otherwise why it is refused. */
export async function checkAlexaRequest(options: AlexaOptions, request: { rawBody: string; headers: Record<string, string | undefined>; timestamp: string; applicationId?: string | undefined }, now = Date.now()): Promise<string | null> {
  const skew = Math.abs(now - Date.parse(request.timestamp));
  if (!(skew <= (options.toleranceSeconds ?? 150) * 1000)) return 'timestamp_out_of_range';
  if (options.skillId && request.applicationId !== options.skillId) return 'wrong_skill';
  if (options.verify !== 'skip' && !(await options.verify({ rawBody: request.rawBody, headers: request.headers }))) return 'bad_signature';
  return null;
}
