// Whose page is calling: the handler's own site, an allowed one (CORS), or another.

/** Loopback names: a page there is on the same machine, which DNS rebinding cannot fake. */
const LOOPBACK = /^(localhost|127(\.\d{1,3}){3}|\[::1\])$/;

/**
 * Whether a page at `origin` is the handler's own site: the request's URL, or the host the
 * request was sent to (its Host header; servers that rebuild the URL from their own address,
 * Next.js, a proxy that terminates TLS). Both come from the Host header in most servers, and a
 * page on `http://evil.example` whose name an attacker points at this server (DNS rebinding)
 * sends a Host and an Origin that match. So a match counts only where a name cannot be rebound
 * without a certificate (an https: origin) or does not resolve elsewhere (loopback); a plain-http
 * page on any other name needs allowedOrigins.
 */
export function sameSite(origin, url, host) {
  let page;
  try {
    page = new URL(origin);
  } catch {
    return false;
  }
  if (page.protocol !== "https:" && !(page.protocol === "http:" && LOOPBACK.test(page.hostname))) return false;
  if (origin === url.origin) return true;
  return host !== null && page.host === host.toLowerCase();
}
