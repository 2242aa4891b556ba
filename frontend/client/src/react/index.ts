export * from "./ConnectionStatus.js";
export * from "./NftUpgrade.js";
export * from "./ProcessPanels.js";
export { ProgressBar, StepList, benefitRows, httpImage, stepItems, type StepItem, type StepState } from "./Progress.js";
export * from "./useProcess.js";
export * from "./useWallets.js";
