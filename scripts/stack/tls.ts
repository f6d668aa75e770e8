// A self-signed CA and a broker certificate for 127.0.0.1/localhost, so clients verify the
// SASL_SSL listener for real instead of switching verification off.
import { existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { progress, runQuiet } from "./processes.js";

export interface BrokerTls {
  caFile: string;
  keystoreFile: string;
  keystorePassword: string;
}

export function tlsPaths(stateDir: string): { dir: string; caFile: string; keystoreFile: string } {
  const dir = join(stateDir, "tls");
  return { dir, caFile: join(dir, "ca.crt"), keystoreFile: join(dir, "broker.p12") };
}

/** Creates the CA and the broker's PKCS12 keystore unless both exist already. */
export async function ensureBrokerTls(stateDir: string, keystorePassword: string): Promise<BrokerTls> {
  const { dir, caFile, keystoreFile } = tlsPaths(stateDir);
  if (existsSync(caFile) && existsSync(keystoreFile)) return { caFile, keystoreFile, keystorePassword };

  progress(`generating a local CA and broker certificate in ${dir}`);
  mkdirSync(dir, { recursive: true });
  const file = (name: string) => join(dir, name);
  const openssl = (args: string[]) => runQuiet("openssl", args, { cwd: dir });
  await openssl([
    "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "3650",
    "-keyout", file("ca.key"), "-out", caFile, "-subj", "/CN=dts-kafka local stack CA",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  await openssl([
    "req", "-newkey", "rsa:2048", "-nodes", "-keyout", file("broker.key"), "-out", file("broker.csr"), "-subj", "/CN=localhost",
  ]);
  // Clients connect to 127.0.0.1 and verify the host name, so the certificate must name it.
  writeFileSync(file("broker.ext"), [
    "basicConstraints=CA:FALSE",
    "keyUsage=critical,digitalSignature,keyEncipherment",
    "extendedKeyUsage=serverAuth",
    "subjectAltName=IP:127.0.0.1,DNS:localhost",
    "",
  ].join("\n"));
  await openssl([
    "x509", "-req", "-in", file("broker.csr"), "-CA", caFile, "-CAkey", file("ca.key"), "-CAcreateserial",
    "-days", "3650", "-out", file("broker.crt"), "-extfile", file("broker.ext"),
  ]);
  await openssl([
    "pkcs12", "-export", "-in", file("broker.crt"), "-inkey", file("broker.key"), "-certfile", caFile,
    "-name", "broker", "-out", keystoreFile, "-passout", `pass:${keystorePassword}`,
  ]);
  for (const leftover of ["broker.csr", "broker.ext", "ca.srl"]) rmSync(file(leftover), { force: true });
  return { caFile, keystoreFile, keystorePassword };
}
