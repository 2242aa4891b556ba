export * from "./events.js";
export * from "./http.js";
export * from "./realtime.js";
export * from "./upgrade.js";
export * from "./upgradeState.js";
export * from "./useNFTUpgrade.js";
export * from "./wallet/index.js";
