// Which of this machine's addresses the start-up banner offers to the other computers on the
// network: only those the server really accepts connections on.

/** One address of a network interface, as os.networkInterfaces() lists it. */
export interface InterfaceAddress {
  address: string;
  family: string | number;
  internal: boolean;
}

/** The host the portal's server listens on: every IPv4 address of the machine. */
export const LISTEN_HOST = "0.0.0.0";

function isIPv4(i: InterfaceAddress): boolean {
  // Node 18.0–18.3 reported the family as a number.
  return i.family === "IPv4" || i.family === 4;
}

/** A link-local IPv6 address needs the interface's zone in the URL (fe80::1%eth0), which browsers refuse. */
function isLinkLocalIPv6(address: string): boolean {
  return /^fe[89ab][0-9a-f]:/i.test(address);
}

/**
 * The addresses other machines can reach the server at when it listens on `host`: for 0.0.0.0
 * the machine's IPv4 addresses (an IPv6 address would not answer); for :: (or no host: Node's
 * default, both families) IPv4 first, then IPv6 without link-local ones; for one address, that
 * address if it is on an interface and not internal (loopback reaches no other machine).
 */
export function lanAddresses(interfaces: Record<string, readonly InterfaceAddress[] | undefined>, host: string = LISTEN_HOST): string[] {
  const external = Object.values(interfaces)
    .flatMap((list) => list ?? [])
    .filter((i) => !i.internal);
  const v4 = external.filter(isIPv4).map((i) => i.address);
  const v6 = external.filter((i) => !isIPv4(i) && !isLinkLocalIPv6(i.address)).map((i) => i.address);
  const unique = (list: string[]) => [...new Set(list)];
  if (host === "0.0.0.0") return unique(v4);
  if (host === "::" || host === "") return unique([...v4, ...v6]);
  const wanted = host.replace(/^\[(.*)\]$/, "$1").toLowerCase();
  return unique(external.map((i) => i.address).filter((a) => a.toLowerCase() === wanted));
}
