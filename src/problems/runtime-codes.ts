// The runtime's codes, one per RuntimeError kind. A fix here is the one a RuntimeError shows
// when the code that raised it gives none, so kinds whose cases need different fixes keep null.
import { entries } from "./entry.js";

export const runtimeCodes = entries("runtime", {
  config: [5001, "A setting of the plan or the command line that cannot be used"],
  secret: [5002, "A secret (env, file or literal) that cannot be read", 'check the env("NAME") or file("path") reference the message names'],
  "source-connect": [5003, "The source server cannot be reached or refuses the login", "check the source block's host, port, user and password, and that the server runs"],
  "source-stream": [5004, "The binlog stream or a read from the source failed; retried within the retry window"],
  "source-settings": [5005, "The source server lacks a setting or privilege change capture needs", "run dts precheck: it names the setting or privilege and how to change it"],
  "binlog-purged": [5006, "The binlog position the pipeline needs is gone from the source, or never reached the server it reads", "with several servers in host = [...], list the current primary first and dts reload, or wait until the replica it reads caught up; when the binlog was purged, start over: delete the pipeline's state folder (and, when the spec keeps checkpoints in Kafka, use a new checkpoint topic: the one there would be resumed) and run again with an initial sync (or start_from = earliest/latest if losing the gap is acceptable)"],
  "sink-connect": [5007, "Kafka or the schema registry cannot be reached or refuses the client", "check the destination block's brokers, TLS and SASL settings; dts precheck names what fails"],
  "sink-send": [5008, "Kafka did not accept messages", "check the topic's and broker's limits (message.max.bytes) and the user's ACLs"],
  topic: [5009, "A topic is missing or cannot be created or described"],
  "partition-count-changed": [5010, "A topic's partition count changed since the checkpoint", "restore the partition count, or start over on a new topic with a fresh state folder (and, when the spec keeps checkpoints in Kafka, a new checkpoint topic: the one there would be resumed)"],
  checkpoint: [5011, "The state folder or a checkpoint cannot be read or written", "check the permissions of the state folder"],
  "state-locked": [5012, "Another dts run holds the pipeline's state folder", "stop the other run first: two runs on one state folder would send everything twice"],
  unsupported: [5013, "Something the source sent, or this installation, that dts cannot handle"],
  "retry-window-exhausted": [5014, "The pipeline kept failing for the whole retry window", "fix the connection problem and start the pipeline again; it resumes from its checkpoint"],
  fenced: [5015, "Another run took the pipeline over: its Kafka transactional id or its binlog server_id", "run each pipeline once; the newer run keeps it, this one stops without writing on"],
});

export type RuntimeKind = keyof typeof runtimeCodes;
