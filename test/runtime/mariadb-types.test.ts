// UUID/INET4/INET6 binlog bytes → the text MariaDB 10.11 prints (pairs observed on the server
// with CAST(CAST(text AS INET6) AS CHAR) and HEX()).
import { describe, expect, it } from "vitest";
import { convertBinlogValue } from "../../src/runtime/source/column-values.js";
import { mariadbTypeText } from "../../src/runtime/source/mariadb-types.js";
import { column } from "./fixtures.js";

const inet6: [hex: string, text: string][] = [
  ["00000000000000000000000000000000", "::"],
  ["00000000000000000000000000000001", "::1"],
  ["00000000000000000000000000000002", "::2"],
  ["00000000000000000000FFFF01020304", "::ffff:1.2.3.4"],
  ["00000000000000000000FFFF00000000", "::ffff:0.0.0.0"],
  ["00000000000000000000000001020304", "::1.2.3.4"],
  ["00000000000000000000000000010000", "::0.1.0.0"],
  ["00000000000000000000FFFE01020304", "::fffe:102:304"],
  ["20010DB8000000000000000000000001", "2001:db8::1"],
  ["20010DB8000000000001000000000001", "2001:db8::1:0:0:1"],
  ["00010002000300040005000600070000", "1:2:3:4:5:6:7::"],
  ["00000001000200030004000500060007", "::1:2:3:4:5:6:7"],
  ["00010000000200030004000500060007", "1::2:3:4:5:6:7"],
  ["00010000000000020000000000000003", "1:0:0:2::3"],
  ["00010000000000020000000000030000", "1::2:0:0:3:0"],
  ["00000000000000000001000000000000", "::1:0:0:0"],
  ["00010000000000000000000000000000", "1::"],
];

describe("MariaDB UUID and INET columns from the binlog", () => {
  it.each(inet6)("INET6 %s is %s", (hex, text) => {
    expect(mariadbTypeText("inet6", Buffer.from(hex, "hex"))).toBe(text);
  });

  it("renders UUID and INET4 bytes as text, and leaves other types alone", () => {
    expect(mariadbTypeText("uuid", Buffer.from("123e4567e89b12d3a456426614174000", "hex"))).toBe("123e4567-e89b-12d3-a456-426614174000");
    expect(mariadbTypeText("inet4", Buffer.from([10, 0, 0, 255]))).toBe("10.0.0.255");
    expect(mariadbTypeText("inet4", Buffer.from([10, 0, 0]))).toBeNull();
    expect(mariadbTypeText("constructor", Buffer.from([1]))).toBeNull();
  });

  it("converts the bytes a FULL table map hands over to the server's text", () => {
    const uuid = column("u", "uuid", { charset: null });
    expect(convertBinlogValue(Buffer.from("e0d8b2f8e5a311ee9d4c0242ac120002", "hex"), uuid)).toBe("e0d8b2f8-e5a3-11ee-9d4c-0242ac120002");
    expect(convertBinlogValue("e0d8b2f8-e5a3-11ee-9d4c-0242ac120002", uuid)).toBe("e0d8b2f8-e5a3-11ee-9d4c-0242ac120002");
  });
});
