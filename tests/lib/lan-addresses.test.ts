// The start-up banner's "局域网内的其他电脑请打开" list: only addresses the server accepts connections on.
import { describe, expect, it } from "vitest";
import { lanAddresses, LISTEN_HOST, type InterfaceAddress } from "~/lib/lan-addresses";

const v4 = (address: string, internal = false): InterfaceAddress => ({ address, family: "IPv4", internal });
const v6 = (address: string, internal = false): InterfaceAddress => ({ address, family: "IPv6", internal });

/** A county office's server: loopback, a wired card with IPv4 and IPv6 (global and link-local), a second card. */
const office = {
  lo: [v4("127.0.0.1", true), v6("::1", true)],
  eth0: [v4("192.168.1.20"), v6("2408:8207:1851:1f0::20"), v6("fe80::a00:27ff:fe4e:66a1")],
  eth1: [v6("fd00::5"), v4("10.0.0.5")],
};

describe("lanAddresses", () => {
  const cases: Array<[string, Parameters<typeof lanAddresses>[0], string | undefined, string[]]> = [
    ["0.0.0.0：只列 IPv4，不列 IPv6", office, "0.0.0.0", ["192.168.1.20", "10.0.0.5"]],
    ["门户实际的监听地址（0.0.0.0）", office, LISTEN_HOST, ["192.168.1.20", "10.0.0.5"]],
    ["不指定地址时按门户的监听地址", office, undefined, ["192.168.1.20", "10.0.0.5"]],
    ["::（双栈）：先 IPv4，再 IPv6，不列链路本地地址", office, "::", ["192.168.1.20", "10.0.0.5", "2408:8207:1851:1f0::20", "fd00::5"]],
    ["只有 IPv6 的机器监听 0.0.0.0：没有可列的地址", { eth0: [v6("2408::1"), v6("fe80::1")] }, "0.0.0.0", []],
    ["只有回环地址", { lo: office.lo }, "0.0.0.0", []],
    ["监听某一个 IPv4 地址：只列它", office, "10.0.0.5", ["10.0.0.5"]],
    ["监听某一个 IPv6 地址（带方括号、大写）：只列它", office, "[FD00::5]", ["fd00::5"]],
    ["监听回环地址：别的电脑连不上", office, "127.0.0.1", []],
    ["监听本机没有的地址", office, "192.168.9.9", []],
    ["同一地址出现在两块网卡上只列一次", { a: [v4("192.168.1.20")], b: [v4("192.168.1.20")], c: undefined }, "0.0.0.0", ["192.168.1.20"]],
    ["Node 18 早期版本以数字报告地址族", { eth0: [{ address: "192.168.1.30", family: 4, internal: false }, { address: "2408::30", family: 6, internal: false }] }, "0.0.0.0", ["192.168.1.30"]],
  ];
  it.each(cases)("%s", (_name, interfaces, host, expected) => {
    expect(host === undefined ? lanAddresses(interfaces) : lanAddresses(interfaces, host)).toEqual(expected);
  });

});
