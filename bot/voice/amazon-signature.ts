import { X509Certificate, verify } from 'node:crypto';
import { rootCertificates } from 'node:tls';
import type { AlexaVerifier } from './verify.ts';

/** Where Amazon's signing certificate lives and what it names (Alexa docs, "Verify the request was sent by Alexa"). */
const chainHost = 's3.amazonaws.com';
const chainPath = '/echo.api/';
const signerName = 'echo-api.amazon.com';
const maxChainBytes = 64 * 1024;

export interface AmazonVerifierOptions {
  /** Downloads a certificate chain (PEM); by default `fetch` with a 5 s timeout. */
  fetchChain?: (url: string) => Promise<string>;
  /** Trusted root certificates (PEM); by default Node's bundled Mozilla roots. */
  trustedRoots?: readonly string[];
  now?: () => Date;
  /** How long a downloaded chain is reused (it is still checked for expiry at every request). */
  cacheSeconds?: number;
}

/**
 * Why the `SignatureCertChainUrl` is not one of Amazon's, or null: https, s3.amazonaws.com, port 443, under /echo.api/
 * (after normalising `..`).
 */
export function chainUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.protocol !== 'https:') return 'not https';
  if (url.hostname !== chainHost) return `not on ${chainHost}`;
  if (url.port !== '' && url.port !== '443') return 'not port 443';
  if (!url.pathname.startsWith(chainPath)) return `not under ${chainPath}`;
  return null;
}

const pemBlocks = (pem: string) => pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];

/**
 * Why the chain cannot vouch for Alexa at `now`, or null: every certificate current, each issued and signed by the
 * next, the last by a trusted root, the first naming echo-api.amazon.com.
 */
export function chainProblem(
  chain: readonly X509Certificate[],
  roots: readonly X509Certificate[],
  now: Date,
): string | null {
  const leaf = chain[0];
  if (!leaf) return 'no certificate in the chain';
  for (const cert of chain)
    if (now < new Date(cert.validFrom) || now > new Date(cert.validTo))
      return `certificate ${cert.subject.replace(/\n/g, ', ')} is not valid now`;
  if (leaf.checkHost(signerName) === undefined) return `the signing certificate is not for ${signerName}`;
  for (let i = 0; i + 1 < chain.length; i++) {
    if (!chain[i + 1]!.ca || !chain[i]!.checkIssued(chain[i + 1]!) || !chain[i]!.verify(chain[i + 1]!.publicKey))
      return 'the chain does not link up';
  }
  const top = chain[chain.length - 1]!;
  const anchored = roots.some(
    (root) => root.fingerprint256 === top.fingerprint256 || (top.checkIssued(root) && top.verify(root.publicKey)),
  );
  return anchored ? null : 'the chain does not end at a trusted root';
}

async function download(url: string): Promise<string> {
  const res = await fetch(url, { signal: AbortSignal.timeout(5000) });
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const text = await res.text();
  if (text.length > maxChainBytes) throw new Error('chain too large');
  return text;
}

/**
 * The Alexa request-signature check on Node: the chain URL must be Amazon's; the chain (downloaded once per URL and
 * cached) must be current, link up to a trusted root and name echo-api.amazon.com; `Signature-256` must be the
 * RSA-SHA256 signature of the raw body by its first certificate.
 */
export function amazonSignatureVerifier(options: AmazonVerifierOptions = {}): AlexaVerifier {
  const fetchChain = options.fetchChain ?? download;
  const roots = (options.trustedRoots ?? rootCertificates).map((pem) => new X509Certificate(pem));
  const now = options.now ?? (() => new Date());
  const cacheMs = (options.cacheSeconds ?? 3600) * 1000;
  const cache = new Map<string, { chain: X509Certificate[]; until: number }>();
  return async ({ rawBody, headers }) => {
    const url = headers.signaturecertchainurl;
    const signature = headers['signature-256'];
    if (!url) return { header: 'SignatureCertChainUrl', reason: 'missing' };
    if (!signature) return { header: 'Signature-256', reason: 'missing' };
    const badUrl = chainUrlProblem(url);
    if (badUrl) return { header: 'SignatureCertChainUrl', reason: badUrl };
    const at = now();
    let cached = cache.get(url);
    if (!cached || cached.until < at.getTime()) {
      try {
        cached = {
          chain: pemBlocks(await fetchChain(url)).map((pem) => new X509Certificate(pem)),
          until: at.getTime() + cacheMs,
        };
      } catch (error) {
        return {
          header: 'SignatureCertChainUrl',
          reason: `the chain could not be read: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      if (cache.size >= 16) cache.clear();
      cache.set(url, cached);
    }
    const badChain = chainProblem(cached.chain, roots, at);
    if (badChain) return { header: 'SignatureCertChainUrl', reason: badChain };
    const signed = verify(
      'sha256',
      Buffer.from(rawBody, 'utf8'),
      cached.chain[0]!.publicKey,
      Buffer.from(signature, 'base64'),
    );
    return signed ? null : { header: 'Signature-256', reason: 'does not match the body' };
  };
}
