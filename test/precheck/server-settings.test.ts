import { describe, expect, it } from "vitest";
import {
  binlogRetentionSeconds, checkBinlogEnabled, checkBinlogFormat, checkGtid, checkRetention, checkRowImage, checkRowMetadata, checkTimezone, checkVersion,
} from "../../src/precheck/server-settings.js";
import { facts, mysql8, pipeline } from "./fixtures.js";

describe("server version", () => {
  it.each([
    ["10.11.6-MariaDB-log", true, "pass"],
    ["11.4.2-MariaDB", true, "pass"],
    ["10.0.38-MariaDB", true, "pass"],
    ["5.5.68-MariaDB", true, "fail"],
    ["12.0.1-MariaDB", true, "warn"],
    ["5.6.51-log", false, "pass"],
    ["5.7.44", false, "pass"],
    ["8.4.3", false, "pass"],
    ["5.5.62", false, "fail"],
    ["9.1.0", false, "warn"],
    ["garbage", false, "warn"],
  ])("%s is %s", (version, isMariaDb, status) => {
    const result = checkVersion(facts({ version, isMariaDb: isMariaDb as boolean }));
    expect(result.status).toBe(status);
    expect(result.reason).toContain(version);
  });
});

describe("binlog settings", () => {
  it("fails when binary logging is off", () => {
    const result = checkBinlogEnabled(facts({}, { log_bin: "OFF" }));
    expect(result).toMatchObject({ id: "binlog-enabled", status: "fail" });
    expect(result.fix).toMatch(/log_bin/);
  });

  it("fails on STATEMENT and MIXED formats and names the setting to change", () => {
    for (const format of ["STATEMENT", "MIXED"]) {
      const result = checkBinlogFormat(facts({}, { binlog_format: format }));
      expect(result.status).toBe("fail");
      expect(result.reason).toContain(format);
      expect(result.fix).toContain("binlog_format = 'ROW'");
    }
    expect(checkBinlogFormat(facts()).status).toBe("pass");
  });

  it("fails on MINIMAL and NOBLOB row images", () => {
    expect(checkRowImage(facts({}, { binlog_row_image: "MINIMAL" }))).toMatchObject({ status: "fail", reason: expect.stringContaining("inserts the ones left at their default") });
    expect(checkRowImage(facts({}, { binlog_row_image: "noblob" })).reason).toContain("NOBLOB");
    expect(checkRowImage(facts()).status).toBe("pass");
  });

  it("warns without full row metadata, and fails on PARTIAL_JSON on MySQL", () => {
    expect(checkRowMetadata(facts({}, { binlog_row_metadata: "MINIMAL" })).status).toBe("warn");
    const old = facts();
    delete old.variables.binlog_row_metadata;
    expect(checkRowMetadata(old).reason).toMatch(/has no binlog_row_metadata/);
    const partial = checkRowMetadata(mysql8({ binlog_row_value_options: "PARTIAL_JSON" }));
    expect(partial).toMatchObject({ status: "fail" });
    expect(partial.reason).toContain("PARTIAL_JSON");
    expect(checkRowMetadata(mysql8()).status).toBe("pass");
  });
});

describe("GTID", () => {
  it("on MariaDB reports the binlog GTID position and warns when strict mode is off", () => {
    expect(checkGtid(facts(), pipeline())).toMatchObject({ status: "pass" });
    const loose = checkGtid(facts({}, { gtid_strict_mode: "OFF" }), pipeline());
    expect(loose.status).toBe("warn");
    expect(loose.reason).toContain("0-1-42");
  });

  it("on MySQL recommends gtid_mode ON, and requires it when starting from a GTID set", () => {
    expect(checkGtid(mysql8(), pipeline()).status).toBe("pass");
    expect(checkGtid(mysql8({ gtid_mode: "OFF" }), pipeline()).status).toBe("warn");
    const fromGtid = pipeline();
    fromGtid.source.startFrom = { kind: "gtid", gtidSet: "3e11fa47-71ca-11e1-9e33-c80aa9429562:1-5" };
    expect(checkGtid(mysql8({ gtid_mode: "OFF" }), fromGtid).status).toBe("fail");
  });
});

describe("binlog retention", () => {
  it("prefers binlog_expire_logs_seconds over expire_logs_days; 0 means never purged", () => {
    expect(binlogRetentionSeconds({ binlog_expire_logs_seconds: "3600", expire_logs_days: "7" })).toBe(3600);
    expect(binlogRetentionSeconds({ binlog_expire_logs_seconds: "0", expire_logs_days: "1.5" })).toBe(129600);
    expect(binlogRetentionSeconds({ expire_logs_days: "0" })).toBeNull();
  });

  it("warns when binlogs expire before the retry window runs out", () => {
    const short = checkRetention(facts({}, { binlog_expire_logs_seconds: "21600" }), pipeline({ retryWindowSeconds: 43200 }));
    expect(short.status).toBe("warn");
    expect(short.reason).toContain("6 h");
    expect(short.reason).toContain("12 h");
    expect(checkRetention(facts({}, { expire_logs_days: "1" }), pipeline({ retryWindowSeconds: 43200 })).status).toBe("pass");
    expect(checkRetention(facts(), pipeline()).reason).toMatch(/never purged/);
  });
});

describe("time zone", () => {
  it("passes when the spec's zone has the server's current offset", () => {
    expect(checkTimezone(facts({ utcOffsetSeconds: 8 * 3600 }), pipeline({ source: { ...pipeline().source, timezone: "Asia/Shanghai" } })).status).toBe("pass");
    expect(checkTimezone(facts(), pipeline()).status).toBe("pass");
  });

  it("warns on a different offset and suggests the server's", () => {
    const result = checkTimezone(facts({ utcOffsetSeconds: -5 * 3600 }, { time_zone: "-05:00" }), pipeline({ source: { ...pipeline().source, timezone: "+08:00" } }));
    expect(result.status).toBe("warn");
    expect(result.fix).toContain('"-05:00"');
  });

  it("passes SYSTEM, which follows the server, and fails an unknown zone name", () => {
    const result = checkTimezone(facts({ utcOffsetSeconds: 3600 }, { system_time_zone: "CET" }), pipeline({ source: { ...pipeline().source, timezone: "SYSTEM" } }));
    expect(result.status).toBe("pass");
    expect(result.reason).toContain("SYSTEM (CET), UTC+01:00");
    expect(checkTimezone(facts(), pipeline({ source: { ...pipeline().source, timezone: "Mars/Olympus" } })).status).toBe("fail");
  });
});
