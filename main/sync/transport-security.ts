// How a device reaches its server safely: plain http:// only to this machine or the local
// network (loopback, private and link-local addresses, .local names), unless the user says so
// (the CLI's --allow-insecure, INSIGHT_ALLOW_INSECURE_HTTP=1 for the app); elsewhere the token
// would cross the internet in clear. A company CA is trusted through NODE_EXTRA_CA_CERTS.
import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

const localNetwork = new BlockList();
for (const [net, prefix] of [
  ['127.0.0.0', 8],
  ['10.0.0.0', 8],
  ['172.16.0.0', 12],
  ['192.168.0.0', 16],
  ['169.254.0.0', 16],
  ['100.64.0.0', 10],
] as const) {
  localNetwork.addSubnet(net, prefix, 'ipv4');
}
localNetwork.addAddress('::1', 'ipv6');
localNetwork.addSubnet('fc00::', 7, 'ipv6'); // unique local
localNetwork.addSubnet('fe80::', 10, 'ipv6'); // link-local

/** Names that only ever mean the local network: mDNS (.local), home.arpa, single-label LAN names. */
const localName = (host: string) =>
  host === 'localhost' || !host.includes('.') || /\.(local|localhost|home\.arpa|internal|lan)$/i.test(host);

function isLocalAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  // ::ffff:10.0.0.5 is an IPv4 address in IPv6 clothing.
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return localNetwork.check(mapped[1], 'ipv4');
  return localNetwork.check(address, family === 6 ? 'ipv6' : 'ipv4');
}

/** True when every address the host name stands for is on this machine or the local network. */
export async function isLocalNetworkHost(hostname: string): Promise<boolean> {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (isIP(host)) return isLocalAddress(host);
  if (localName(host)) return true;
  const addresses = await lookup(host, { all: true }).catch(() => null);
  // A name that does not resolve cannot leak anything; the reachability check reports it.
  if (!addresses) return true;
  return addresses.length > 0 && addresses.every((a) => isLocalAddress(a.address));
}

export const allowInsecureFromEnv = () => process.env.INSIGHT_ALLOW_INSECURE_HTTP === '1';

/** Null when the URL may be used; else the refusal, naming the fix. */
export async function refuseInsecureHttp(serverUrl: URL, allowInsecure: boolean): Promise<string | null> {
  if (serverUrl.protocol !== 'http:' || allowInsecure) return null;
  if (await isLocalNetworkHost(serverUrl.hostname)) return null;
  return (
    `${serverUrl.origin} is outside the local network and plain http:// would send the device token unencrypted. ` +
    `Use https:// (the server serves it with TLS_CERT/TLS_KEY or behind an HTTPS proxy). To connect over plain HTTP anyway, ` +
    `pass --allow-insecure to the device CLI, or start the app with INSIGHT_ALLOW_INSECURE_HTTP=1.`
  );
}

const certificateCodes =
  /\b(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_HAS_EXPIRED|CERT_UNTRUSTED|ERR_TLS_CERT_ALTNAME_INVALID)\b/;

/** For a network failure caused by the server's certificate: what to do about it. Else null. */
export function certificateAdvice(message: string): string | null {
  const code = certificateCodes.exec(message)?.[1];
  if (!code) return null;
  if (code === 'CERT_HAS_EXPIRED')
    return "The server's TLS certificate has expired; ask whoever runs the server to renew it.";
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID')
    return "The server's TLS certificate is for another name; use the address the certificate names.";
  return (
    `The server's TLS certificate is not trusted here (${code}). If your company signs its own certificates, ` +
    `point NODE_EXTRA_CA_CERTS at the company CA's PEM file before starting the app or the CLI.`
  );
}
