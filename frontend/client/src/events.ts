/**
 * What the real-time stream sends: `{type, message, data, timestamp}`; upgrade events add `upgradeId, status,
 * progress`. `data` is the event's payload, typed from common-events' AsyncAPI document (src/generated).
 */
import type * as generated from "./generated/asyncapi.js";

/** The payload a client event type carries as `data`. */
export type PayloadOf<T extends string> = T extends keyof generated.ClientEventPayloads ? generated.ClientEventPayloads[T] : Record<string, unknown>;

export type Category = generated.EventCategory;

/** The upgrade's statuses, as the events define them (generated from the AsyncAPI document). */
export type UpgradeStatus = generated.UpgradeStatus;

export const TERMINAL_STATUSES: ReadonlySet<UpgradeStatus> = new Set([
  "qualification_failed",
  "burn_failed",
  "completed",
  "cancelled",
  "failed",
  "mint_failed_critical",
]);

interface Base<T extends string, D = PayloadOf<T>> {
  type: T;
  message: string;
  data: D;
  timestamp: string;
  /** The SSE id: resume from here (Last-Event-ID). On connection_established only when opened without one. */
  id?: string;
}

export interface UpgradeStatusEvent extends Base<"nft_upgrade_status"> {
  upgradeId: string;
  status: UpgradeStatus;
  progress: number;
}

/** A stream's first event; `instance` names the sse-gateway instance serving it. */
export type ConnectionEstablished = Base<"connection_established", { instance?: string }>;
export type BadgeEarned = Base<"badge_earned">;
/** The steps of a badge activation (ADR 0031), before its completion `badge_activated`. */
export type BadgeActivationStatus = "requested" | "badge_verified" | "progress_recomputed" | "activated" | "failed";
export interface BadgeActivationStatusEvent extends Base<"badge_activation_status"> {
  activationId: string;
  status: BadgeActivationStatus;
  progress: number;
}
/** The completion of an activation; `activationId`, `status` and `progress` are absent on older events. */
export interface BadgeActivated extends Base<"badge_activated"> {
  activationId?: string;
  status?: "activated";
  progress?: number;
}
export type TradingAlert = Base<"trading_alert">;
export type PriceAlert = Base<"price_alert">;
export type PositionUpdate = Base<"position_update">;
export type FriendActivity = Base<"friend_activity">;
export type ChatMessage = Base<"chat_message">;
export type CompetitionRanking = Base<"competition_ranking">;
export type Notification = Base<
  "notification",
  { notificationId: string; title: string; priority: "high" | "medium" | "low"; category: string }
>;
/** The inbox's counts after a change: set the badge from the last event, no re-count needed. */
export interface InboxCounts {
  unreadCount: number;
  unseenCount: number;
}
export type InboxItemAdded = Base<
  "inbox_item_added",
  InboxCounts & {
    notificationId: string;
    title: string;
    message: string;
    priority: "high" | "medium" | "low";
    category: Category;
    createdAt: string;
    groupKey: string | null;
    groupCount: number;
  }
>;
export type InboxItemUpdated = Base<
  "inbox_item_updated",
  InboxCounts & {
    notificationId: string;
    seen: boolean;
    read: boolean;
    archived: boolean;
    snoozedUntil: string | null;
  }
>;
export type InboxAllRead = Base<
  "inbox_all_read",
  InboxCounts & { onlyCategory: Category | null; markedRead: number }
>;
export type SystemMaintenance = Base<"system_maintenance">;
/** The server ends the stream on purpose (`max_lifetime`, `draining`): EventSource reconnects and resumes by itself. */
export type Reconnect = Base<"reconnect", { reason: string }>;
/** Why a stream ended with its sign-in: the token expired (refresh, then resume) or the user signed out. */
export type SessionEndReason = "session_expired" | "logged_out";
/** The last event of a stream whose sign-in ended (ADR 0037). */
export type SessionEnded = Base<SessionEndReason, { reason: SessionEndReason }>;
/**
 * The last event of a stream the user's newer streams replaced: at most `limit` streams per user across the
 * platform, the oldest ended (ADR 0041). The client closes such a stream rather than reconnect it, which would end
 * the user's next oldest.
 */
export type StreamEvicted = Base<"stream_evicted", { reason: "too_many_streams"; limit: number }>;
export type FeatureAnnouncement = Base<"feature_announcement">;

export type RealtimeEvent =
  | ConnectionEstablished
  | UpgradeStatusEvent
  | BadgeEarned
  | BadgeActivated
  | BadgeActivationStatusEvent
  | TradingAlert
  | PriceAlert
  | PositionUpdate
  | FriendActivity
  | ChatMessage
  | CompetitionRanking
  | Notification
  | InboxItemAdded
  | InboxItemUpdated
  | InboxAllRead
  | SystemMaintenance
  | FeatureAnnouncement
  | Reconnect
  | SessionEnded
  | StreamEvicted;

export type RealtimeEventType = RealtimeEvent["type"];

/** Parses one SSE message; unknown types are passed on (newer servers add types), malformed data is not. */
export function parseEvent(data: string, id?: string): RealtimeEvent | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null || typeof (parsed as { type?: unknown }).type !== "string") {
    return undefined;
  }
  const event = parsed as RealtimeEvent;
  return id ? { ...event, id } : event;
}
