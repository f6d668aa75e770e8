// A statement's text as the server runs it: what the DDL patterns read. Each case is a form a
// tool or a person writes, with the text the server would parse.
import { describe, expect, it } from "vitest";
import { runsVersionedComment, statementDialect, storedName } from "../../src/runtime/source/statement-dialect.js";
import { statementText } from "../../src/runtime/source/statement-text.js";

const mariadb = statementDialect("10.11.6-MariaDB-log");
const mysql = statementDialect("8.0.36");

describe("statementText", () => {
  it("takes out comments of every form, each leaving a space", () => {
    expect(statementText("-- one\n-- two\nALTER TABLE t ADD c INT")).toBe("ALTER TABLE t ADD c INT");
    expect(statementText("# one\r\n#two\nDROP TABLE t;")).toBe("DROP TABLE t;");
    expect(statementText("ALTER/*x*/TABLE t")).toBe("ALTER TABLE t");
    expect(statementText("ALTER TABLE -- x\n t1 ADD c INT")).toBe("ALTER TABLE  \n t1 ADD c INT");
    expect(statementText("DROP TABLE t -- unterminated")).toBe("DROP TABLE t");
  });

  it("leaves quoted text whole, comment markers and all", () => {
    expect(statementText("ALTER TABLE t COMMENT '-- x /* y */ # z', ADD `a--b#c` INT")).toBe("ALTER TABLE t COMMENT '-- x /* y */ # z', ADD `a--b#c` INT");
    expect(statementText("ALTER TABLE t COMMENT 'it''s \\' -- still text' -- a comment")).toBe("ALTER TABLE t COMMENT 'it''s \\' -- still text'");
    expect(statementText('CREATE TABLE "a/*b" (c INT DEFAULT 1--1)')).toBe('CREATE TABLE "a/*b" (c INT DEFAULT 1--1)');
  });

  it("keeps the content of the versioned comments the server runs, and drops the others", () => {
    expect(statementText("/*M!100100 ALTER TABLE t ADD c INT */", mariadb)).toBe("ALTER TABLE t ADD c INT");
    expect(statementText("CREATE TABLE t (a INT) /*!50100 PARTITION BY HASH (a) */", mariadb)).toBe("CREATE TABLE t (a INT)   PARTITION BY HASH (a)");
    expect(statementText("CREATE TABLE t (a INT) /*!50100 PARTITION BY HASH (a) */", mysql)).toBe("CREATE TABLE t (a INT)   PARTITION BY HASH (a)");
    expect(statementText("/*M!100100 ALTER TABLE t ADD c INT */", mysql)).toBe("");
    expect(statementText("CREATE DATABASE d /*!80016 DEFAULT ENCRYPTION='N' */", mariadb)).toBe("CREATE DATABASE d");
    expect(statementText("CREATE DATABASE d /*!80016 DEFAULT ENCRYPTION='N' */", mysql)).toBe("CREATE DATABASE d   DEFAULT ENCRYPTION='N'");
    // A skipped versioned comment may hold one plain comment; in a run one, another is plain.
    expect(statementText("/*!99999 a /* b */ c */DROP TABLE t", mysql)).toBe("DROP TABLE t");
    expect(statementText("/*!40101 DROP /*!40101 x */ TABLE t */", mysql)).toBe("DROP   TABLE t");
    // The content's quotes are read as quotes: a */ inside one does not end the comment.
    expect(statementText("/*!40101 ALTER TABLE t COMMENT '*/' */", mysql)).toBe("ALTER TABLE t COMMENT '*/'");
  });

  it("unwraps SET STATEMENT … FOR, whatever the values hold", () => {
    expect(statementText("SET STATEMENT lock_wait_timeout=5 FOR ALTER TABLE t ADD c INT")).toBe("ALTER TABLE t ADD c INT");
    expect(statementText("SET STATEMENT max_statement_time=60, lock_wait_timeout=5 FOR CREATE TABLE t2 (id INT)")).toBe("CREATE TABLE t2 (id INT)");
    expect(statementText("set statement sql_mode='a,for b', x=SUBSTRING('abc' FROM 1 FOR 2), foreign_key_checks=0\nfor\nrename table a to b")).toBe("rename table a to b");
    expect(statementText("/* m */ SET STATEMENT lock_wait_timeout=5 /* n */ FOR -- o\nDROP TABLE t")).toBe("DROP TABLE t");
    expect(statementText("/*M!100300 SET STATEMENT lock_wait_timeout=5 FOR */ ALTER TABLE t ADD c INT", mariadb)).toBe("ALTER TABLE t ADD c INT");
    expect(statementText("SET lock_wait_timeout=5")).toBe("SET lock_wait_timeout=5");
  });
});

describe("statement dialect", () => {
  it("reads the version as versioned comments write it, and the name case", () => {
    expect(mariadb).toEqual({ isMariaDb: true, versionId: 101106, lowercaseNames: false });
    expect(statementDialect("11.4.2-MariaDB", "1")).toEqual({ isMariaDb: true, versionId: 110402, lowercaseNames: true });
    expect(statementDialect("8.0.36-28", "2")).toEqual({ isMariaDb: false, versionId: 80036, lowercaseNames: true });
    expect(statementDialect("", "")).toEqual({ isMariaDb: false, versionId: null, lowercaseNames: false });
  });

  it("runs a versioned comment as the server's lexer does", () => {
    expect(runsVersionedComment(mariadb, true, 100300)).toBe(true);
    expect(runsVersionedComment(mariadb, true, 110000)).toBe(false);
    expect(runsVersionedComment(mariadb, false, 40101)).toBe(true);
    expect(runsVersionedComment(mariadb, false, 80016)).toBe(false);
    expect(runsVersionedComment(mariadb, true, 80016)).toBe(true);
    expect(runsVersionedComment(mysql, true, null)).toBe(false);
    expect(runsVersionedComment(mysql, false, 80016)).toBe(true);
    expect(runsVersionedComment(mysql, false, 80037)).toBe(false);
  });

  it("gives names as the server stores them", () => {
    expect(storedName("Orders", statementDialect("10.11.6-MariaDB", "1"))).toBe("orders");
    expect(storedName("Orders", mariadb)).toBe("Orders");
  });
});
