// One worker's membership of its group, on the broker's group coordinator (Kafka's classic group
// protocol: JoinGroup, SyncGroup, Heartbeat, LeaveGroup, sent through kafkajs). The coordinator
// decides who is in the group and which member leads; the leader computes the assignment
// (assignment.ts) and the coordinator hands each member its part. A member that stops
// heartbeating for the session timeout is dropped and the group rebalances without it.
import { RuntimeError } from "../errors.js";
import type { Logger } from "../logger.js";
import type { ClusterBroker, GroupJoinResponse, KafkaCluster } from "../sink/kafka-cluster.js";
import { assignPipelines } from "./assignment.js";
import { decodeAssignment, decodeMetadata, encodeAssignment, encodeMetadata, PROTOCOL_NAME, PROTOCOL_TYPE, type MemberMetadata } from "./group-protocol.js";

type ProtocolError = Error & { type?: string };

export interface GroupAssignment {
  generation: number;
  memberId: string;
  leader: boolean;
  pipelines: string[];
}

export interface GroupMemberOptions {
  cluster: KafkaCluster;
  groupId: string;
  sessionTimeoutMs: number;
  /** This member's metadata as of now (what it runs changes between joins). */
  metadata: () => MemberMetadata;
  onAssignment: (assignment: GroupAssignment) => void;
  /** The group went on without this member: what it ran may already run elsewhere. */
  onLost: (reason: string) => void;
  log: Logger;
}

/** Errors that mean the group went on without this member. */
const lostErrors = new Set(["UNKNOWN_MEMBER_ID", "ILLEGAL_GENERATION", "FENCED_INSTANCE_ID"]);
/** Errors no retry fixes: the group name or the credentials are wrong. */
const fatalErrors = new Set(["INCONSISTENT_GROUP_PROTOCOL", "GROUP_AUTHORIZATION_FAILED", "INVALID_GROUP_ID", "GROUP_MAX_SIZE_REACHED"]);

export class GroupMember {
  readonly #options: GroupMemberOptions;
  #memberId = "";
  #generation = -1;
  #leaving = false;
  #wake: (() => void) | null = null;
  /** When the coordinator last confirmed this member (join, sync or heartbeat). */
  #lastContact = Date.now();
  /** Failed attempts to reach the coordinator in a row; the wait grows with them. */
  #failures = 0;

  constructor(options: GroupMemberOptions) {
    this.#options = options;
  }

  get #heartbeatIntervalMs(): number {
    return Math.max(500, Math.floor(this.#options.sessionTimeoutMs / 4));
  }

  /** Takes part in the group until leave(); rejects only on an error no retry fixes. */
  async run(): Promise<void> {
    while (!this.#leaving) {
      try {
        const coordinator = await this.#options.cluster.groupCoordinator(this.#options.groupId);
        const joined = await this.#join(coordinator);
        if (this.#leaving) break;
        const pipelines = await this.#sync(coordinator, joined);
        this.#options.onAssignment({ generation: this.#generation, memberId: this.#memberId, leader: joined.leaderId === this.#memberId, pipelines });
        await this.#heartbeat(coordinator);
      } catch (error) {
        await this.#recover(error);
      }
    }
  }

  /** Ends the membership; the group rebalances at once instead of waiting out the session. */
  async leave(): Promise<void> {
    this.#leaving = true;
    this.#wake?.();
    if (!this.#memberId) return;
    try {
      const coordinator = await this.#options.cluster.groupCoordinator(this.#options.groupId);
      await coordinator.leaveGroup({ groupId: this.#options.groupId, memberId: this.#memberId });
    } catch (error) {
      this.#options.log.warn({ err: String(error) }, "could not leave the group; the others take over once the session times out");
    }
  }

  async #join(coordinator: ClusterBroker): Promise<GroupJoinResponse> {
    const { groupId, sessionTimeoutMs } = this.#options;
    const joined = await coordinator.joinGroup({
      groupId,
      sessionTimeout: sessionTimeoutMs,
      // Members rejoin at their next heartbeat, so a rebalance never needs longer than a session.
      rebalanceTimeout: sessionTimeoutMs,
      memberId: this.#memberId,
      protocolType: PROTOCOL_TYPE,
      groupProtocols: [{ name: PROTOCOL_NAME, metadata: encodeMetadata(this.#options.metadata()) }],
    });
    this.#memberId = joined.memberId;
    this.#generation = joined.generationId;
    this.#lastContact = Date.now();
    this.#failures = 0;
    return joined;
  }

  async #sync(coordinator: ClusterBroker, joined: GroupJoinResponse): Promise<string[]> {
    const leader = joined.leaderId === this.#memberId;
    const groupAssignment = leader ? this.#assign(joined.members) : [];
    const { memberAssignment } = await coordinator.syncGroup({ groupId: this.#options.groupId, generationId: this.#generation, memberId: this.#memberId, groupAssignment });
    this.#lastContact = Date.now();
    return decodeAssignment(memberAssignment).pipelines;
  }

  /** The leader's part: every member's pipelines, from what each can run and runs now. */
  #assign(members: GroupJoinResponse["members"]): { memberId: string; memberAssignment: Buffer }[] {
    const candidates = members.flatMap(({ memberId, memberMetadata }) => {
      const metadata = decodeMetadata(memberMetadata);
      if (!metadata) this.#options.log.warn({ memberId }, "a group member sent metadata this worker cannot read; it gets no pipelines");
      return metadata ? [{ memberId, pipelines: metadata.pipelines, owned: metadata.owned }] : [];
    });
    const assignment = assignPipelines(candidates);
    this.#options.log.info({ generation: this.#generation, assignment: Object.fromEntries(assignment) }, "assigned the group's pipelines");
    return members.map(({ memberId }) => ({ memberId, memberAssignment: encodeAssignment({ pipelines: assignment.get(memberId) ?? [] }) }));
  }

  /** Heartbeats until the group rebalances (then returns, to join again) or the coordinator answers with an error. */
  async #heartbeat(coordinator: ClusterBroker): Promise<void> {
    const { groupId } = this.#options;
    while (!this.#leaving) {
      await this.#sleep(this.#heartbeatIntervalMs);
      if (this.#leaving) return;
      try {
        await coordinator.heartbeat({ groupId, groupGenerationId: this.#generation, memberId: this.#memberId });
        this.#lastContact = Date.now();
      } catch (error) {
        if ((error as ProtocolError).type === "REBALANCE_IN_PROGRESS") return;
        throw error;
      }
    }
  }

  async #recover(error: unknown): Promise<void> {
    const type = (error as ProtocolError).type ?? "";
    const { log, groupId } = this.#options;
    if (fatalErrors.has(type)) {
      throw new RuntimeError("config", `cannot join the group ${groupId}: ${(error as Error).message} (${type})`, {
        hint: type === "INCONSISTENT_GROUP_PROTOCOL" ? "a Kafka consumer group of that name exists: give the workers another --group name" : "give the Kafka user access to the group, or choose another --group name",
        cause: error,
      });
    }
    if (type === "REBALANCE_IN_PROGRESS") return;
    if (lostErrors.has(type)) {
      if (type === "UNKNOWN_MEMBER_ID") this.#memberId = "";
      this.#lost(`the group coordinator no longer knows this member (${type})`);
      return;
    }
    const waitMs = Math.min(10_000, 1000 * 2 ** this.#failures++);
    log.warn({ err: (error as Error).message ?? String(error), retryInMs: waitMs }, "the group coordinator cannot be reached; trying again");
    if (Date.now() - this.#lastContact > this.#options.sessionTimeoutMs) this.#lost("no word from the group coordinator for longer than the session timeout");
    await this.#sleep(waitMs);
  }

  #lost(reason: string): void {
    this.#lastContact = Date.now();
    this.#options.log.warn({ reason }, "this worker lost its place in the group; stopping its pipelines and joining again");
    this.#options.onLost(reason);
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.#wake = done;
    });
  }
}
