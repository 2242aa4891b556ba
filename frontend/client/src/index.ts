export * from "./events.js";
export * from "./http.js";
export * from "./inbox.js";
export * from "./realtime.js";
export * from "./upgrade.js";
export * from "./upgradeState.js";
export * from "./useInbox.js";
export * from "./useNFTUpgrade.js";
