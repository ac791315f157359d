import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

export const TARGET_ALLOW_FORM = 'comma-separated host names (a leading dot for every name under one) and CIDR ranges such as 10.0.0.0/8';

const HOST_NAME = /^\.?(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)*$/;

interface ParsedAllowList {
  names: Set<string>;
  /** `.example.com`: every name that ends with it. */
  suffixes: string[];
  ranges: BlockList;
  hasRanges: boolean;
}

function parseRange(item: string, ranges: BlockList): boolean {
  const [address, bits, extra] = item.split('/');
  const family = isIP(address);
  const prefix = Number(bits);
  if (extra !== undefined || family === 0 || !/^\d{1,3}$/.test(bits ?? '') || prefix > (family === 4 ? 32 : 128)) return false;
  ranges.addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
  return true;
}

function parse(list: string): ParsedAllowList | undefined {
  const parsed: ParsedAllowList = { names: new Set(), suffixes: [], ranges: new BlockList(), hasRanges: false };
  for (const raw of list.split(',')) {
    const item = raw.trim().toLowerCase();
    if (item.includes('/')) {
      if (!parseRange(item, parsed.ranges)) return undefined;
      parsed.hasRanges = true;
    } else if (isIP(item)) {
      // Before the name pattern, which an IPv4 address also matches.
      parsed.ranges.addAddress(item, isIP(item) === 4 ? 'ipv4' : 'ipv6');
      parsed.hasRanges = true;
    } else if (HOST_NAME.test(item)) {
      if (item.startsWith('.')) parsed.suffixes.push(item);
      else parsed.names.add(item);
    } else return undefined;
  }
  return parsed;
}

export function isTargetAllowList(value: unknown): boolean {
  return typeof value === 'string' && value.length <= 4096 && parse(value) !== undefined;
}

function inRanges(ranges: BlockList, address: string): boolean {
  return ranges.check(address, isIP(address) === 4 ? 'ipv4' : 'ipv6');
}

/**
 * `STREAM_TARGET_ALLOW`: which hosts a stream may deliver to. A host name passes when it is
 * listed (or under a listed `.suffix`), or when every address it resolves to lies in a listed
 * range; an address passes when it lies in a range. Unset, every host passes.
 */
export class TargetAllowList {
  private readonly parsed?: ParsedAllowList;

  constructor(setting: string | undefined) {
    if (setting === undefined || setting.trim() === '') return;
    // The configuration check refuses a bad setting at start; were one to get here, it must not mean "any host".
    this.parsed = parse(setting);
    if (!this.parsed) throw new Error(`STREAM_TARGET_ALLOW must be ${TARGET_ALLOW_FORM}`);
  }

  async allows(host: string, resolve: (name: string) => Promise<string[]> = resolveAll): Promise<boolean> {
    const allow = this.parsed;
    if (!allow) return true;
    const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
    if (isIP(name)) return inRanges(allow.ranges, name);
    if (allow.names.has(name) || allow.suffixes.some((s) => name.endsWith(s))) return true;
    if (!allow.hasRanges) return false;
    const addresses = await resolve(name).catch(() => []);
    return addresses.length > 0 && addresses.every((a) => inRanges(allow.ranges, a));
  }
}

async function resolveAll(name: string): Promise<string[]> {
  return (await lookup(name, { all: true })).map((a) => a.address);
}
