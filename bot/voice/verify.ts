import { DomainError } from '../../api/core/errors.ts';

/**
 * Checks that a request really comes from Alexa. Amazon signs each request: the `SignatureCertChainUrl` header
 * names a certificate chain on s3.amazonaws.com and `Signature-256` holds the base64 RSA-SHA256 signature of the
 * raw body. The verifier is pluggable (`amazonSignatureVerifier` in `amazon-signature.ts` on Node, which fetches
 * and validates the chain); `'skip'` only where nothing else is reachable (local testing, `ALEXA_VERIFY=false`).
 * Null when the request is verified, else why not (the failing header and a reason in English).
 */
export type AlexaVerifier = (request: {
  rawBody: string;
  headers: Record<string, string | undefined>;
}) => Promise<{ header: string; reason: string } | null>;

export interface AlexaOptions {
  /** The skill id (amzn1.ask.skill.…): requests for another skill are refused. */
  skillId: string;
  /** The signature check, or `'skip'` (local testing, or a proxy that already verified). */
  verify: AlexaVerifier | 'skip';
  /** Refuse a request whose timestamp is further than `toleranceSeconds` from the clock (default true). */
  checkTimestamp?: boolean;
  /** Allowed clock skew of the request timestamp (Alexa requires at most 150 s). */
  toleranceSeconds?: number;
}

/**
 * Throws the refusal (a 400 problem, as Alexa expects for a request that fails its checks) unless the request may be
 * served.
 */
export async function checkAlexaRequest(
  options: AlexaOptions,
  request: {
    rawBody: string;
    headers: Record<string, string | undefined>;
    timestamp: string;
    applicationId?: string | undefined;
  },
  now = Date.now(),
): Promise<void> {
  if (request.applicationId !== options.skillId) {
    throw new DomainError('validation', 'alexa_wrong_skill', {
      params: { skillId: request.applicationId ?? '—' },
      fields: [{ field: 'context.System.application.applicationId', message: "Not this server's ALEXA_SKILL_ID." }],
    });
  }
  const tolerance = options.toleranceSeconds ?? 150;
  if (options.checkTimestamp !== false && !(Math.abs(now - Date.parse(request.timestamp)) <= tolerance * 1000)) {
    throw new DomainError('validation', 'alexa_stale', {
      params: { seconds: tolerance },
      fields: [{ field: 'request.timestamp', message: `More than ${tolerance} s from the server clock.` }],
    });
  }
  if (options.verify === 'skip') return;
  const refused = await options.verify({ rawBody: request.rawBody, headers: request.headers });
  if (refused)
    throw new DomainError('validation', 'alexa_bad_signature', {
      fields: [{ field: refused.header, message: refused.reason }],
    });
}
