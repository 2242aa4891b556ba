export * from "./base58.js";
export * from "./transaction.js";
export * from "./walletStandard.js";
export * from "./developmentWallet.js";
